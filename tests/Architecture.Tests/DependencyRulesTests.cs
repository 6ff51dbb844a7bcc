using System.Reflection;
using NetArchTest.Rules;

namespace CustomerGrains.Architecture.Tests;

/// <summary>The dependency rules docs/ARCHITECTURE.md states, checked against the compiled code (method bodies included).</summary>
public sealed class DependencyRulesTests
{
    private static readonly Assembly GrainsAssembly = typeof(Grains.Customers.ICustomerGrain).Assembly;
    private static readonly IReadOnlyList<Room> Rooms = Room.FromDocument();

    /// <summary>What a pure room must not touch: the Orleans runtime (serialization attributes are fine) and storage.</summary>
    private static readonly string[] Impure =
    [
        "Orleans.Grain", "Orleans.IGrain", "Orleans.Runtime", "Orleans.Hosting", "Orleans.Timers", "Orleans.Storage",
        "Orleans.Concurrency", "System.Data", "Microsoft.Data", "Npgsql", Room.Prefix + "Storage",
    ];

    public static TheoryData<string> RoomsWithRules => [.. Rooms.Where(r => !r.MayUseAny).Select(r => r.Name)];

    public static TheoryData<string> PureRooms => [.. Rooms.Where(r => r.Pure).Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RoomsWithRules))]
    public void A_room_uses_only_the_rooms_its_row_names(string name)
    {
        var room = Rooms.Single(r => r.Name == name);
        var forbidden = Rooms.Where(r => r != room && !room.MayUse.Contains(r.Name)).Select(r => r.Namespace).ToArray();

        var result = Types.InAssembly(GrainsAssembly).That().ResideInNamespace(room.Namespace)
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{room.Name} uses rooms its row does not name: {Names(result)}");
    }

    [Theory]
    [MemberData(nameof(PureRooms))]
    public void A_pure_room_uses_neither_the_Orleans_runtime_nor_storage(string name)
    {
        var room = Rooms.Single(r => r.Name == name);

        var result = Types.InAssembly(GrainsAssembly).That().ResideInNamespace(room.Namespace)
            .ShouldNot().HaveDependencyOnAny(Impure).GetResult();

        Assert.True(result.IsSuccessful, $"{room.Name} is pure but uses the Orleans runtime or storage: {Names(result)}");
    }

    [Fact]
    public void Every_room_of_the_code_has_a_row_and_every_row_a_room()
    {
        var inCode = GrainsAssembly.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(ns => ns.StartsWith(Room.Prefix, StringComparison.Ordinal))
            .Select(ns => ns[Room.Prefix.Length..].Split('.')[0])
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(Rooms.Select(r => r.Name).Order(StringComparer.Ordinal), inCode);
    }

    [Fact]
    public void Each_room_uses_only_rooms_above_it_so_there_are_no_cycles()
    {
        for (var i = 0; i < Rooms.Count; i++)
        {
            var above = Rooms.Take(i).Select(r => r.Name).ToHashSet();
            Assert.All(Rooms[i].MayUse, used => Assert.True(above.Contains(used), $"{Rooms[i].Name} may use {used}, which is not above it"));
        }
    }

    [Fact]
    public void The_grains_and_the_contracts_need_no_web_stack()
    {
        foreach (var assembly in new[] { GrainsAssembly, typeof(Contracts.Validation.EventParser).Assembly })
        {
            var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOn("Microsoft.AspNetCore").GetResult();
            Assert.True(result.IsSuccessful, $"{assembly.GetName().Name} uses ASP.NET Core: {Names(result)}");
        }
    }

    [Fact]
    public void The_importer_is_a_client_of_the_contracts_not_of_the_Api()
    {
        var importer = typeof(Import.Importer).Assembly;

        Assert.DoesNotContain(importer.GetReferencedAssemblies(), a => a.Name == "CustomerGrains.Api");
        var result = Types.InAssembly(importer).ShouldNot().HaveDependencyOn("CustomerGrains.Api").GetResult();
        Assert.True(result.IsSuccessful, $"the importer uses the Api: {Names(result)}");
    }

    [Fact]
    public void The_admin_CLI_is_a_client_of_the_HTTP_API_not_of_the_Api_or_the_grains()
    {
        var cli = typeof(Cli.ExitCodes).Assembly;

        Assert.DoesNotContain(cli.GetReferencedAssemblies(), a => a.Name is "CustomerGrains.Api" or "CustomerGrains.Grains");
        var result = Types.InAssembly(cli).ShouldNot().HaveDependencyOnAny("CustomerGrains.Api", "CustomerGrains.Grains", "Orleans").GetResult();
        Assert.True(result.IsSuccessful, $"the CLI uses the Api, the grains or Orleans: {Names(result)}");
    }

    [Fact]
    public void The_grains_reference_no_project_above_them()
    {
        var ours = GrainsAssembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n!.StartsWith("CustomerGrains.", StringComparison.Ordinal));

        Assert.Empty(ours);
    }

    private static string Names(TestResult result) => string.Join(", ", result.FailingTypeNames ?? []);
}
