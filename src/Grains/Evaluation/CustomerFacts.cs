using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>A customer's state as compiled rules read it.</summary>
public sealed class CustomerFacts(
    CustomerState state,
    Func<string, bool>? inSegment = null,
    Classification.PopulationThresholds? population = null) : IRuleSubject
{
    private Classification.CustomerClass? _class;
    private bool _classified;

    // Read by several rules of one evaluation pass; computed once per pass.
    private double? _revenue;
    private (DateTimeOffset? First, DateTimeOffset? Last)? _orderSpan;

    // Every lifecycle segment reads the stage, and the deadline pass its next change: once per pass (per now).
    private (DateTimeOffset Now, string Stage)? _lifecycle;
    private (DateTimeOffset Now, DateTimeOffset? At)? _lifecycleChange;

    // The purchase days, once per pass; the repeat summary per now (a deadline search reads many instants).
    private PurchaseDay[]? _days;
    private (DateTimeOffset Now, RepeatSummary? Summary)? _summary;
    private (DateTimeOffset Now, StoreLookalike Lookalike, LookalikeSubject Subject)? _subject;
    private Dictionary<StoreLookalike, (DateTimeOffset Now, double? LogOdds)>? _basis;

    /// <summary>Value tier and RFM against the store's current cut points; null without orders or statistics.</summary>
    public Classification.CustomerClass? Class
    {
        get
        {
            if (!_classified)
            {
                _class = population?.Classify(Classification.CustomerStats.Of(state.Orders.Count, Revenue, LastOrder()), Revenue);
                _classified = true;
            }

            return _class;
        }
    }

    public static Classification.CustomerStats? Stats(CustomerState state) =>
        Classification.CustomerStats.Of(
            state.Orders.Count,
            CustomerBehaviour.Revenue(state),
            state.Orders.Count == 0 ? null : state.Orders.Values.Max(o => o.At));


    /// <summary>Answered by the evaluation pass (it knows which version of each segment serves); false without one.</summary>
    public bool InSegment(string segmentId) => inSegment?.Invoke(segmentId) ?? false;

    public RuleValue Profile(string name, DateTimeOffset now)
    {
        var key = ToCamel(name);
        if (key == "age")
        {
            return Age(now) is { } age ? RuleValue.Of(age) : RuleValue.Null;
        }

        if (!state.Profile.TryGetValue(key, out var field))
        {
            return RuleValue.Null;
        }

        if (key == "birthDate")
        {
            return BirthDate() is { } birth ? RuleValue.Of(birth) : RuleValue.Null;
        }

        return ToRule(field.Value);
    }

    public RuleValue Trait(string name, DateTimeOffset now)
    {
        switch (name)
        {
            case "orders":
                return RuleValue.Of(state.Orders.Count);
            case "revenue":
                return RuleValue.Of(Revenue);
            case "aov":
                return state.Orders.Count == 0 ? RuleValue.Null : RuleValue.Of(Revenue / state.Orders.Count);
            case "refunds":
                return RuleValue.Of(state.Refunds.Count);
            case "first_order":
                return RuleValue.Of(FirstOrder());
            case "last_order":
                return RuleValue.Of(LastOrder());
            case "first_seen":
                return RuleValue.Of(state.FirstSeen);
            case "last_seen":
                return RuleValue.Of(state.LastSeen);
            case "events":
                return RuleValue.Of(state.EventCount);
            case "lifecycle":
                return RuleValue.Of(LifecycleStage(now));
            case "value_tier":
                return RuleValue.Of(Class?.ValueTier);
            case "rfm.r":
                return Class is { } r ? RuleValue.Of(r.R) : RuleValue.Null;
            case "rfm.f":
                return Class is { } f ? RuleValue.Of(f.F) : RuleValue.Null;
            case "rfm.m":
                return Class is { } m ? RuleValue.Of(m.M) : RuleValue.Null;
            case "rfm.class":
                return RuleValue.Of(Class?.RfmClass);
            case "lifecycle_changes_at":
                return RuleValue.Of(LifecycleChange(now));
            case "p_alive":
                return Models is { } alive && Summary(now) is { } a ? Finite(CustomerPotential.PAlive(alive, a)) : RuleValue.Null;
            case "expected_orders_90d":
                return ExpectedOrders(CustomerPotential.NinetyDays, now);
            case "expected_spend":
                return Models is { } spend && Summary(now) is { } e ? Finite(CustomerPotential.ExpectedSpend(spend, e, Days)) : RuleValue.Null;
            case "clv":
                return Clv(now) is { } clv ? RuleValue.Of(clv) : RuleValue.Null;
            case "potential":
                return RuleValue.Of(Potential(now));
            case "value_potential":
                return RuleValue.Of(Classification.ValuePotential.Of(Class?.ValueTier, Potential(now), state.Orders.Count > 0));
            case "potential_changes_at":
                return RuleValue.Of(PotentialChange(now));
            default:
                return RuleValue.Null;
        }
    }

    /// <summary>The parts of the state <see cref="Trait"/> reads for a trait: what must change for it to change.</summary>
    public static StateParts PartsRead(string trait) => trait switch
    {
        "orders" or "revenue" or "aov" or "refunds" or "first_order" or "last_order" => StateParts.Purchases,
        "first_seen" or "last_seen" or "events" => StateParts.Activity,
        // The stage's boundaries and the tiers and scores are the store's settings and statistics applied to the orders.
        "lifecycle" or "lifecycle_changes_at" or "value_tier" or "rfm.r" or "rfm.f" or "rfm.m" or "rfm.class" =>
            StateParts.Purchases | StateParts.Population,
        // Predictions: the orders read through the store's models, which travel with its population.
        "p_alive" or "expected_orders_90d" or "expected_orders" or "expected_spend" or "clv" =>
            StateParts.Purchases | StateParts.Models,
        // A lookalike reads the profile and behaviour, and its population rule may read anything a customer holds: any
        // accepted event changes its activity, so these four parts cover every change. The potential of a prospect is
        // a lookalike score.
        "potential" or "potential_changes_at" =>
            StateParts.Activity | StateParts.Purchases | StateParts.Profile | StateParts.Models,
        "value_potential" => StateParts.Activity | StateParts.Purchases | StateParts.Profile | StateParts.Models | StateParts.Population,
        _ when trait.StartsWith(RuleAnalysis.LookalikePrefix, StringComparison.Ordinal) =>
            StateParts.Activity | StateParts.Purchases | StateParts.Profile | StateParts.Models,
        _ => StateParts.Everything,
    };

    public RuleValue ExpectedOrders(TimeSpan horizon, DateTimeOffset now) =>
        Models is { } models && Summary(now) is { } s ? Finite(CustomerPotential.ExpectedOrders(models, s, horizon)) : RuleValue.Null;

    /// <summary>
    /// The customer's predictions now, for its view: null without a fitted model. A customer without orders has a
    /// potential (<c>unknown</c>) and a class (<c>prospect</c>) but no numbers.
    /// </summary>
    public CustomerPrediction? Prediction(DateTimeOffset now)
    {
        if (Potential(now) is not { } potential)
        {
            return null;
        }

        var valuePotential = Classification.ValuePotential.Of(Class?.ValueTier, potential, state.Orders.Count > 0);
        if (Models is not { } models || Summary(now) is not { } s)
        {
            return new CustomerPrediction(null, null, null, null, potential, valuePotential, Models?.FittedAt);
        }

        return new CustomerPrediction(
            FiniteOrNull(CustomerPotential.PAlive(models, s)),
            FiniteOrNull(CustomerPotential.ExpectedOrders(models, s, CustomerPotential.NinetyDays)),
            FiniteOrNull(CustomerPotential.ExpectedSpend(models, s, Days)),
            Clv(now),
            potential,
            valuePotential,
            models.FittedAt);
    }

    /// <summary>A customer's orders in the purchase index's order (what <c>cg_purchases</c> stores): ascending by instant.</summary>
    public static PurchaseOrder[] PurchaseOrders(CustomerState state) =>
        PurchaseSummaries.Orders(state.Orders.Values.Select(o => (o.At, o.Revenue)));

    /// <summary>
    /// A customer's purchase days: its orders by UTC day, revenue summed — derived from <see cref="PurchaseOrders"/> as the
    /// purchase index derives them from its row, so both sum each day in the same order.
    /// </summary>
    public static PurchaseDay[] PurchaseDays(CustomerState state) => PurchaseSummaries.Days(PurchaseOrders(state));

    private StoreModels? Models => population?.Models;

    private PurchaseDay[] Days => _days ??= PurchaseDays(state);

    private RepeatSummary? Summary(DateTimeOffset now)
    {
        if (_summary is not { } cached || cached.Now != now)
        {
            cached = (now, Models is { } models ? CustomerPotential.Summary(models, Days, now) : null);
            _summary = cached;
        }

        return cached.Summary;
    }

    private double? Clv(DateTimeOffset now) =>
        Models is { } models && Summary(now) is { } s && CustomerPotential.Clv(models, s, Days) is var clv && double.IsFinite(clv) ? clv : null;

    /// <summary>A prediction the model cannot make (a series that does not converge, an infinite mean) is no value, not NaN.</summary>
    private static RuleValue Finite(double value) => double.IsFinite(value) ? RuleValue.Of(value) : RuleValue.Null;

    private static double? FiniteOrNull(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// high, medium or low by predicted value (CLV against the store's cut points). A customer without orders has no
    /// CLV: a lookalike model that scores it sets its potential (its best score: high from 0.7, medium from 0.4), or it
    /// is unknown. Null while the store has neither a purchase nor a lookalike model.
    /// </summary>
    private string? Potential(DateTimeOffset now)
    {
        if (Models is { } models && Clv(now) is { } clv)
        {
            return CustomerPotential.Tier(models, clv);
        }

        if (state.Orders.Count == 0 && BestLookalike(now) is { } score)
        {
            return score >= 0.7 ? "high" : score >= 0.4 ? "medium" : "low";
        }

        return Models is null && population?.Lookalikes is not { Count: > 0 } ? null : "unknown";
    }

    /// <summary>
    /// When the potential next changes with time alone: what it is read from (CLV, a lookalike score) moves one way
    /// while nothing happens, so once it has left its tier it does not come back, and the first instant it differs is
    /// found by searching ahead.
    /// </summary>
    private DateTimeOffset? PotentialChange(DateTimeOffset now)
    {
        var current = Potential(now);
        return current is null or "unknown" ? null : DeadlineCompiler.FirstTurn(t => Potential(t) == current, now);
    }

    public RuleValue Lookalike(string model, DateTimeOffset now) =>
        LookalikeScore(model, now) is { } score ? RuleValue.Of(score) : RuleValue.Null;

    /// <summary>Each of the store's lookalike models that scores the customer now: its score and the features that weigh most in it.</summary>
    public ImmutableArray<CustomerLookalike> Lookalikes(DateTimeOffset now)
    {
        if (population?.Lookalikes is not { Count: > 0 } all)
        {
            return [];
        }

        var scores = ImmutableArray.CreateBuilder<CustomerLookalike>();
        foreach (var (id, lookalike) in all.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (InPopulation(lookalike, now))
            {
                var subject = Subject(lookalike, now);
                scores.Add(new CustomerLookalike(id, lookalike.Model.Score(subject), [.. lookalike.Model.Explain(subject).Select(c => c.Text)]));
            }
        }

        return scores.DrainToImmutable();
    }

    /// <summary>
    /// A lookalike score at an instant. The customer is described once per pass, at the first instant the pass asks
    /// for (its population too); at any other instant (a deadline's search ahead) only what time moves is moved: the
    /// days since it was last seen and its age band, whose weights are added to the log-odds of that description. The
    /// same answer as describing it again at that instant, for the cost of two lookups instead of a walk of its events.
    /// </summary>
    private double? LookalikeScore(string id, DateTimeOffset now)
    {
        if (population?.Lookalikes is not { } all || !all.TryGetValue(id, out var lookalike))
        {
            return null;
        }

        _basis ??= new Dictionary<StoreLookalike, (DateTimeOffset Now, double? LogOdds)>(ReferenceEqualityComparer.Instance);
        if (!_basis.TryGetValue(lookalike, out var basis))
        {
            basis = (now, InPopulation(lookalike, now) ? lookalike.Model.LogOdds(Subject(lookalike, now)) : null);
            _basis[lookalike] = basis;
        }

        if (basis.LogOdds is not { } logOdds)
        {
            return null;
        }

        if (now != basis.Now)
        {
            var model = lookalike.Model;
            if (model.Numbers.TryGetValue(LookalikeFeatures.Recency, out var recency) && Reads(lookalike, LookalikeFeatures.Recency))
            {
                logOdds += recency.LogOdds(LookalikeFeatures.DaysSinceLastSeen(state, now)) - recency.LogOdds(LookalikeFeatures.DaysSinceLastSeen(state, basis.Now));
            }

            if (model.Categories.ContainsKey(LookalikeFeatures.Age) && Reads(lookalike, LookalikeFeatures.Age)
                && LookalikeFeatures.AgeBand(state, now) is var band && band != LookalikeFeatures.AgeBand(state, basis.Now))
            {
                logOdds += BandLogOdds(model, band) - BandLogOdds(model, LookalikeFeatures.AgeBand(state, basis.Now));
            }
        }

        return 1 / (1 + Math.Exp(-logOdds));
    }

    private static bool Reads(StoreLookalike lookalike, string feature) => lookalike.Features.IsDefaultOrEmpty || lookalike.Features.Contains(feature);

    /// <summary>What an age band adds to a model's log-odds (none: what a missing band adds).</summary>
    private static double BandLogOdds(LookalikeModel model, string? band) =>
        band is null ? 0 : model.LogOdds(new LookalikeSubject(new Dictionary<string, IReadOnlyList<string>> { [LookalikeFeatures.Age] = [band] }, NoNumbers))
            - model.LogOdds(new LookalikeSubject(NoCategories, NoNumbers));

    private static readonly Dictionary<string, IReadOnlyList<string>> NoCategories = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, double> NoNumbers = new(StringComparer.Ordinal);

    private double? BestLookalike(DateTimeOffset now)
    {
        double? best = null;
        foreach (var id in population?.Lookalikes?.Keys ?? [])
        {
            if (LookalikeScore(id, now) is { } score && (best is null || score > best))
            {
                best = score;
            }
        }

        return best;
    }

    /// <summary>Whether the customer is in the population a lookalike model scores (its rule, which reads no lookalike).</summary>
    private bool InPopulation(StoreLookalike lookalike, DateTimeOffset now) =>
        Segments.SegmentRules.Of(lookalike.Population, null).Evaluate(this, now);

    private LookalikeSubject Subject(StoreLookalike lookalike, DateTimeOffset now)
    {
        if (_subject is { } cached && cached.Now == now && ReferenceEquals(cached.Lookalike, lookalike))
        {
            return cached.Subject;
        }

        var subject = LookalikeFeatures.Of(state, now, lookalike.Features.IsDefaultOrEmpty ? null : lookalike.Features.ToHashSet(StringComparer.Ordinal));
        _subject = (now, lookalike, subject);
        return subject;
    }

    public long Count(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        CustomerBehaviour.Count(state, type, window, now, Matching(where));

    public double Sum(string type, string property, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        CustomerBehaviour.Sum(state, type, property, window, now, Matching(where));

    public DateTimeOffset? NextWindowChange(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        CustomerBehaviour.NextWindowChange(state, type, window, now, Matching(where));

    /// <summary>A where filter sees the events through one view per aggregate read, not one object per event.</summary>
    private static Func<RetainedEvent, bool>? Matching(Func<IRuleEvent, bool>? where) =>
        where is null ? null : new EventFacts(where).Matches;

    private double Revenue => _revenue ??= CustomerBehaviour.Revenue(state);

    private string LifecycleStage(DateTimeOffset now)
    {
        if (_lifecycle is not { } cached || cached.Now != now)
        {
            cached = (now, Classification.Lifecycle.Of(FirstOrder(), LastOrder(), now, population?.Settings));
            _lifecycle = cached;
        }

        return cached.Stage;
    }

    private DateTimeOffset? LifecycleChange(DateTimeOffset now)
    {
        if (_lifecycleChange is not { } cached || cached.Now != now)
        {
            cached = (now, Classification.Lifecycle.NextChange(FirstOrder(), LastOrder(), now, population?.Settings));
            _lifecycleChange = cached;
        }

        return cached.At;
    }

    private DateTimeOffset? FirstOrder() => OrderSpan().First;

    private DateTimeOffset? LastOrder() => OrderSpan().Last;

    private (DateTimeOffset? First, DateTimeOffset? Last) OrderSpan()
    {
        if (_orderSpan is { } span)
        {
            return span;
        }

        DateTimeOffset? first = null, last = null;
        foreach (var order in state.Orders.Values)
        {
            first = first is null || order.At < first ? order.At : first;
            last = last is null || order.At > last ? order.At : last;
        }

        _orderSpan = (first, last);
        return (first, last);
    }

    /// <summary>
    /// A stored value as rules read it, without converting it. Values in a customer's state are canonical
    /// (<see cref="PropertyValue.IsCanonical()"/>: made so once, as they entered it) and <see cref="RuleValueKind"/>
    /// numbers their kinds as <see cref="PropertyKind"/> does, so the stored fields are the rule value's: its text and
    /// its list are the stored instances. This was a conversion per kind on every read, and a list was copied into a
    /// new array, through a boxed enumerator, every time a rule looked at it. Keeping rule-ready values in the state
    /// instead (a <see cref="RuleValue"/> per property) would add 16 bytes to each; a shape they already have adds none.
    /// </summary>
    internal static RuleValue ToRule(in PropertyValue value)
    {
        Debug.Assert(value.IsCanonical(), "Values enter a customer's state through EventProperties.Pooled or a snapshot's load, both canonical.");
        return new((RuleValueKind)value.Kind, value.Number, value.Text, default, value.Items);
    }

    private DateTimeOffset? BirthDate() =>
        state.Profile.TryGetValue("birthDate", out var field)
        && DateTimeOffset.TryParse(field.Value.AsText(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var birth)
            ? birth
            : null;

    private double? Age(DateTimeOffset now)
    {
        if (BirthDate() is not { } birth || birth > now)
        {
            return null;
        }

        var years = now.Year - birth.Year;
        if (now.Month < birth.Month || (now.Month == birth.Month && now.Day < birth.Day))
        {
            years--;
        }

        return years;
    }

    /// <summary>Rules write profile fields in snake_case (<c>first_name</c>); profiles store camelCase.</summary>
    private static string ToCamel(string name)
    {
        if (!name.Contains('_'))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = builder.Length > 0;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The event a where filter is looking at, moved along by <see cref="Matches"/>. A filter only reads it while
    /// it runs, and an aggregate nested in a filter gets its own view, so one view serves a whole scan.
    /// </summary>
    private sealed class EventFacts(Func<IRuleEvent, bool> where) : IRuleEvent
    {
        private RetainedEvent _event;

        public string Type => _event.Type;

        public DateTimeOffset Timestamp => _event.Timestamp;

        public bool Matches(RetainedEvent e)
        {
            _event = e;
            return where(this);
        }

        public RuleValue Property(string name) =>
            _event.Properties.TryGetValue(name, out var value) || _event.Properties.TryGetValue(ToCamel(name), out value)
                ? ToRule(value)
                : RuleValue.Null;
    }
}
