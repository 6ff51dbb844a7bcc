using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// What a rule's answer can depend on: the event types its aggregates count, the traits and segments it names,
/// whether it reads the profile, and whether time can change it in a way its deadline does not announce. Two
/// evaluations of a rule over the same inputs give the same answer until its next deadline, unless
/// <see cref="UnannouncedTime"/> is set.
/// <para>
/// That flag is the fallback for the turns <see cref="DeadlineCompiler.Unannounced"/> names (a <c>days_since</c> inside a
/// <c>where</c> that reads the filtered event, whose threshold differs per event) and for nodes the analysis does
/// not know. Such a segment is evaluated in every pass of its customer, whatever changed, and still moves only
/// when something wakes the customer: no deadline wakes it for these turns. Every other rule announces its turns.
/// </para>
/// </summary>
public sealed record RuleInputs(
    ImmutableArray<string> EventTypes,
    ImmutableArray<string> Traits,
    bool Profile,
    ImmutableArray<string> Segments,
    bool UnannouncedTime);
