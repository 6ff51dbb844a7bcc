using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// What a rule's answer can depend on: the event types its aggregates count, the traits and segments it names,
/// whether it reads the profile, and whether time can change it in a way its deadline does not announce. Two
/// evaluations of a rule over the same inputs give the same answer until its next deadline, unless
/// <see cref="UnannouncedTime"/> is set.
/// </summary>
public sealed record RuleInputs(
    ImmutableArray<string> EventTypes,
    ImmutableArray<string> Traits,
    bool Profile,
    ImmutableArray<string> Segments,
    bool UnannouncedTime);
