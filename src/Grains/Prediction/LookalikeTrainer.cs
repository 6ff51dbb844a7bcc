using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// Learns which variables separate a seed segment's members (positives) from the store's other customers
/// (negatives) and reduces what it learned to a <see cref="LookalikeModel"/> that scores without ML.NET.
/// </summary>
/// <remarks>
/// <para>
/// The model is a logistic regression (ML.NET's L-BFGS trainer with L1 and L2 regularisation). It is linear in the
/// features, so each weight is a log odds ratio a marketer can read on its own ("country = ES: ×2.4": a customer in
/// Spain is 2.4 times as likely to look like the seed, all else equal), a customer's score splits exactly into one
/// contribution per feature (<see cref="LookalikeModel.Explain"/>), and its output is a calibrated probability
/// rather than an arbitrary score. The L1 term sets the weights of variables that do not separate the classes to
/// exactly zero, so the model names only what matters; the L2 term keeps correlated values (a country and its
/// neighbour) from taking extreme opposite weights. A tree ensemble would separate a little better on some stores,
/// but could neither be explained per feature nor scored with a few lookups.
/// </para>
/// <para>
/// Encoding: each categorical value present is a 0/1 indicator (a bag, so a multi-valued field such as interests
/// sets one per value), with a feature's values beyond the most frequent <see cref="LookalikeOptions.MaxCategoryValues"/>
/// collapsed into <see cref="LookalikeModel.Other"/>; each number is standardised to (x − mean) / standard deviation
/// by ML.NET's normaliser, whose mean and deviation are then folded into the extracted model, so its weight reads
/// per standard deviation. A missing number counts as the training mean. A field every training customer had exactly
/// one value of (a country) has its weights read against its median value (see <c>Recentre</c>).
/// </para>
/// <para>
/// Class balance: the two classes weigh the same in total. The smaller class (usually the seed) keeps weight 1 per
/// customer and the larger one is weighted down to the same total (P / (N − P) each when the seed is smaller). A seed
/// segment is usually a small share of the store; unweighted, the model would learn mostly the base rate and score
/// nearly everyone near zero. Weighted, a score reads as the probability of being a seed member if members and
/// non-members were equally common: above 0.5 a customer looks more like the seed than like the rest. (The base-rate
/// probability is the same model with log(P / (N − P)) added to the bias.) Weighting the larger class down, rather
/// than the seed up, keeps the evidence at what the seed really holds: 300 members weighted ×30 would look to the
/// regularisation like 9,000, and a city with three members would get a confident weight.
/// </para>
/// <para>
/// The model is trained on the training share only and measured on the held-out share, so the reported AUC is that
/// of the model returned.
/// </para>
/// </remarks>
public static class LookalikeTrainer
{
    private const string TokenBag = "TokenBag";
    private const string NormalisedNumbers = "NormalisedNumbers";
    private const string Features = "Features";

    /// <summary>
    /// Splits <paramref name="examples"/> (stratified, seeded) into training and held-out shares, trains, measures
    /// the held-out AUC and extracts the model. Too few positives or negatives give
    /// <see cref="LookalikeStatus.TooFewExamples"/> and no model.
    /// </summary>
    public static LookalikeTraining Train(IReadOnlyList<LookalikeExample> examples, LookalikeOptions? options = null) =>
        Fit(examples, options).Training;

    internal static LookalikeFit Fit(IReadOnlyList<LookalikeExample> examples, LookalikeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new LookalikeOptions();
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var positives = examples.Count(e => e.Positive);
        var negatives = examples.Count - positives;
        if (positives < options.MinPositives || negatives < options.MinNegatives)
        {
            var message = Invariant(
                $"A lookalike needs at least {options.MinPositives} customers in the seed segment and {options.MinNegatives} outside it; there are {positives} and {negatives}.");
            return new LookalikeFit(new LookalikeTraining(null, LookalikeStatus.TooFewExamples, positives, negatives, null, message), [], null);
        }

        var (training, heldOut) = Split(examples, options);
        var vocabulary = LookalikeVocabulary.Learn(training.Select(e => e.Subject), options.MaxCategoryValues);
        if (!vocabulary.HasCategories && vocabulary.NumberFeatures.Count == 0)
        {
            const string message = "The customers carry no category and no number to learn from.";
            return new LookalikeFit(new LookalikeTraining(null, LookalikeStatus.NoVariables, positives, negatives, null, message), [], null);
        }

        var trainingPositives = training.Count(e => e.Positive);
        var trainingNegatives = training.Count - trainingPositives;
        var positiveWeight = (float)Math.Min(1, (double)trainingNegatives / trainingPositives);
        var negativeWeight = (float)Math.Min(1, (double)trainingPositives / trainingNegatives);
        // Materialised: ML.NET reads the rows once per estimator it fits and once more to cache the features.
        var rows = training.Select(e => vocabulary.Row(e.Subject, e.Positive, e.Positive ? positiveWeight : negativeWeight)).ToList();

        var ml = new MLContext(options.Seed);
        var schema = SchemaDefinition.Create(typeof(LookalikeRow));
        if (vocabulary.NumberFeatures.Count > 0)
        {
            schema[nameof(LookalikeRow.Numbers)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, vocabulary.NumberFeatures.Count);
        }

        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var featurizer = Featurizer(ml, vocabulary).Fit(data);
        // L-BFGS reads the features once per step: cache them rather than encode every row again each time.
        var features = ml.Data.Cache(featurizer.Transform(data));
        var predictor = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(LookalikeRow.Label),
            FeatureColumnName = Features,
            ExampleWeightColumnName = nameof(LookalikeRow.Weight),
            L1Regularization = (float)options.L1Regularization,
            L2Regularization = (float)options.L2Regularization,
            // One thread: the same examples and seed give the same model.
            NumberOfThreads = 1,
        }).Fit(features);

        var model = Extract(vocabulary, featurizer, features.Schema, predictor);
        var auc = Auc([.. heldOut.Select(e => (model.Score(e.Subject), e.Positive))]);
        var result = new LookalikeTraining(model, LookalikeStatus.Trained, positives, negatives, auc, Trained(training, trainingPositives, heldOut, auc));

        var pipeline = featurizer.Append(predictor);
        PredictionEngine<LookalikeRow, LookalikePrediction>? engine = null;
        double Reference(LookalikeSubject subject) =>
            (engine ??= ml.Model.CreatePredictionEngine<LookalikeRow, LookalikePrediction>(pipeline, inputSchemaDefinition: schema))
                .Predict(vocabulary.Row(subject)).Probability;
        return new LookalikeFit(result, heldOut, Reference);
    }

    /// <summary>
    /// The area under the ROC curve: the chance that a random positive scores above a random negative (ties count
    /// half); null without both classes.
    /// </summary>
    internal static double? Auc(IReadOnlyList<(double Score, bool Positive)> scored)
    {
        var positives = scored.Count(s => s.Positive);
        var negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        // Mann–Whitney: the positives' rank sum, tied scores sharing their average rank.
        var sorted = scored.OrderBy(s => s.Score).ToArray();
        var positiveRanks = 0.0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end < sorted.Length && sorted[end].Score == sorted[start].Score)
            {
                end++;
            }

            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                positiveRanks += sorted[i].Positive ? rank : 0;
            }

            start = end;
        }

        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    private static (List<LookalikeExample> Training, List<LookalikeExample> HeldOut) Split(IReadOnlyList<LookalikeExample> examples, LookalikeOptions options)
    {
        var random = new Random(options.Seed);
        var training = new List<LookalikeExample>(examples.Count);
        var heldOut = new List<LookalikeExample>();
        foreach (var positive in new[] { true, false })
        {
            var group = examples.Where(e => e.Positive == positive).ToArray();
            random.Shuffle(group);
            // At least one of each class stays in training, whatever the share.
            var held = Math.Min((int)Math.Round(group.Length * options.HeldOutShare), group.Length - 1);
            heldOut.AddRange(group.Take(held));
            training.AddRange(group.Skip(held));
        }

        return (training, heldOut);
    }

    private static IEstimator<ITransformer> Featurizer(MLContext ml, LookalikeVocabulary vocabulary)
    {
        var chain = new EstimatorChain<ITransformer>();
        var columns = new List<string>();
        if (vocabulary.HasCategories)
        {
            chain = chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotEncoding(TokenBag, nameof(LookalikeRow.Tokens), OneHotEncodingEstimator.OutputKind.Bag));
            columns.Add(TokenBag);
        }

        if (vocabulary.NumberFeatures.Count > 0)
        {
            // fixZero: false subtracts the mean, so a number's weight reads per standard deviation from the average customer.
            chain = chain.Append<ITransformer>(ml.Transforms.NormalizeMeanVariance(NormalisedNumbers, nameof(LookalikeRow.Numbers), fixZero: false));
            columns.Add(NormalisedNumbers);
        }

        return chain.Append(ml.Transforms.Concatenate(Features, [.. columns]));
    }

    /// <summary>
    /// The trained weights in the extracted form: the calibrator folded into bias and weights, each token's weight
    /// under its feature and value, each normalised number's weight with the normaliser's mean and deviation.
    /// </summary>
    private static LookalikeModel Extract(
        LookalikeVocabulary vocabulary,
        ITransformer featurizer,
        DataViewSchema schema,
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> predictor)
    {
        var linear = predictor.Model.SubModel;
        var calibrator = predictor.Model.Calibrator;
        // Platt: p = 1 / (1 + exp(slope × score + offset)), so the log-odds are −slope × score − offset.
        var sign = -calibrator.Slope;
        var weights = linear.Weights;
        var slot = 0;

        var categories = new Dictionary<string, ImmutableDictionary<string, double>.Builder>(StringComparer.Ordinal);
        if (vocabulary.HasCategories)
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            schema[TokenBag].GetSlotNames(ref names);
            foreach (var name in names.DenseValues())
            {
                var (feature, value) = LookalikeVocabulary.Split(name.ToString());
                if (!categories.TryGetValue(feature, out var values))
                {
                    categories[feature] = values = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
                }

                values[value] = sign * weights[slot++];
            }
        }

        var bias = sign * linear.Bias - calibrator.Offset;
        foreach (var values in categories.Where(c => vocabulary.IsComplete(c.Key)).Select(c => c.Value))
        {
            bias += Recentre(values);
        }

        var numbers = ImmutableDictionary.CreateBuilder<string, LookalikeNumber>(StringComparer.Ordinal);
        if (vocabulary.NumberFeatures.Count > 0)
        {
            var normaliser = ((IEnumerable<ITransformer>)featurizer).OfType<NormalizingTransformer>().Single();
            var affine = (NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)normaliser.GetNormalizerModelParameters(0);
            for (var i = 0; i < vocabulary.NumberFeatures.Count; i++)
            {
                var scale = (double)affine.Scale[i];
                var mean = affine.Offset.IsDefaultOrEmpty ? 0 : affine.Offset[i];
                var weight = sign * weights[slot++];
                // A number that never varied in training normalises to nothing; it cannot move a score.
                if (scale > 0 && double.IsFinite(scale))
                {
                    numbers[vocabulary.NumberFeatures[i]] = new LookalikeNumber(mean, 1 / scale, weight);
                }
            }
        }

        if (slot != weights.Count)
        {
            throw new InvalidOperationException($"the trained model has {weights.Count} weights but the features {slot} slots");
        }

        return new LookalikeModel(
            bias,
            categories.ToImmutableDictionary(c => c.Key, c => c.Value.ToImmutable(), StringComparer.Ordinal),
            numbers.ToImmutable());
    }

    /// <summary>
    /// Moves a complete feature's weights (every training customer had exactly one of its values) so that the median
    /// value weighs zero, and returns the shift for the bias to take.
    /// </summary>
    /// <remarks>
    /// Adding the same amount to every value of such a feature and taking it from the bias changes no trained
    /// customer's score, so the data leave that level undetermined; the optimiser, which stops at float precision,
    /// leaves it wherever it was (all three genders at ×1.2, all but two countries at ×0.8). The median is where an
    /// L1 penalty would put it: the values that do not matter weigh exactly zero and the rest read against a typical
    /// value. A customer who lacks such a field (or, where it has no rare bucket, has a value of it never seen), which
    /// training never showed, then counts as having a typical value; that is the one case where the extracted model
    /// departs from ML.NET's own prediction, which would put such a customer at the arbitrary level the optimiser
    /// stopped at.
    /// </remarks>
    private static double Recentre(ImmutableDictionary<string, double>.Builder values)
    {
        var sorted = values.Values.Order().ToArray();
        var median = sorted[(sorted.Length - 1) / 2];
        foreach (var value in values.Keys.ToArray())
        {
            values[value] -= median;
        }

        return median;
    }

    private static string Trained(List<LookalikeExample> training, int trainingPositives, List<LookalikeExample> heldOut, double? auc)
    {
        var trained = Invariant($"Trained on {training.Count} customers ({trainingPositives} in the seed segment)");
        return auc switch
        {
            null => trained + "; none held out to measure it.",
            < 0.6 => trained + Invariant($"; held-out AUC {auc:0.00} on {heldOut.Count}: the seed segment's members look much like everyone else, so the scores separate little."),
            _ => trained + Invariant($"; held-out AUC {auc:0.00} on {heldOut.Count}."),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
