using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>The pure part of merging by a matching trait: which claims change, and which settings a store may have.</summary>
public sealed class TraitMatchingRulesTests
{
    [Fact]
    public void A_changed_value_lets_the_old_key_go_and_claims_the_new_one_and_an_unchanged_one_writes_nothing()
    {
        var before = new TraitMatching.Held("a@example.com", null);

        Assert.Empty(TraitMatching.Changes(before, before));
        Assert.Equal(
            [new IdentityKeyRow("email", TraitMatching.Key("email", "a@example.com"), Held: false), new IdentityKeyRow("email", TraitMatching.Key("email", "b@example.com"), Held: true)],
            TraitMatching.Changes(before, new TraitMatching.Held("b@example.com", null)).ToArray());
        Assert.Equal(
            [new IdentityKeyRow("phone", TraitMatching.Key("phone", "+34612345678"), Held: true)],
            TraitMatching.Changes(before, before with { Phone = "+34612345678" }).ToArray());
    }

    [Fact]
    public void Keys_of_one_value_in_two_fields_differ_and_hold_no_value()
    {
        var email = TraitMatching.Key("email", "x");
        Assert.NotEqual(email, TraitMatching.Key("phone", "x"));
        Assert.Equal(32, email.Length);
        Assert.Equal(email, TraitMatching.Key("email", "x"));
    }

    [Theory]
    [InlineData(new[] { "email" }, null)]
    [InlineData(new[] { "email", "phone" }, null)]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "name" }, "'name' cannot be matched: use email or phone")]
    [InlineData(new[] { "email", "email" }, "a trait is named twice")]
    public void Settings_name_only_traits_that_can_be_matched(string[] traits, string? problem) =>
        Assert.Equal(problem, new IdentitySettings([.. traits]).Problem());
}
