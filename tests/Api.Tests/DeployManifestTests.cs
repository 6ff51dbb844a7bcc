using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Tests.Infrastructure;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Hosting;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;
using static CustomerGrains.Api.Tests.Infrastructure.Manifests;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// The Kubernetes manifests and the container file cannot run here: these tests hold them to the code instead
/// (configuration keys, ports, routes, shutdown timeout), so a rename in either breaks the build, not a rollout.
/// </summary>
public sealed partial class DeployManifestTests
{
    /// <summary>Every options class the code binds, by the configuration section it binds it from.</summary>
    private static readonly (string Section, Type Options)[] BoundOptions =
    [
        (CustomerGrainsOptions.Section, typeof(CustomerGrainsOptions)),
        (ApiKeyOptions.Section, typeof(ApiKeyOptions)),
        (RateLimitOptions.Section, typeof(RateLimitOptions)),
        ($"{CustomerGrainsOptions.Section}:{BehaviourOptions.Section}", typeof(BehaviourOptions)),
        ($"{CustomerGrainsOptions.Section}:{JournalOptions.Section}", typeof(JournalOptions)),
        ($"{CustomerGrainsOptions.Section}:{ClassificationOptions.Section}", typeof(ClassificationOptions)),
    ];

    /// <summary>Variables that are not ours but that the processes or the manifests themselves use.</summary>
    private static readonly HashSet<string> OtherVariables = ["Urls", "POD_NAME", "POD_IP"];

    private static YamlMappingNode SiloSet => Resource("StatefulSet", "customergrains-silo");

    private static YamlMappingNode ApiDeployment => Resource("Deployment", "customergrains-api");

    private static IEnumerable<YamlMappingNode> Workloads => [SiloSet, ApiDeployment];

    [Fact]
    public void Every_manifest_parses_and_kustomize_applies_every_resource_file()
    {
        var documents = All();
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty(Text(d.Document, "apiVersion")), $"{d.File}: apiVersion"));
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty(Text(d.Document, "kind")), $"{d.File}: kind"));
        Assert.All(documents.Where(d => Text(d.Document, "kind") != "Kustomization"),
            d => Assert.False(string.IsNullOrEmpty(Text(d.Document, "metadata", "name")), $"{d.File}: metadata.name"));

        var kustomization = documents.Single(d => Text(d.Document, "kind") == "Kustomization").Document;
        var listed = ((YamlSequenceNode)Node(kustomization, "resources")!).Children.Select(n => ((YamlScalarNode)n).Value!).Order();
        var files = documents.Select(d => d.File).Distinct()
            .Where(f => f is not "kustomization.yaml" and not "secret.example.yaml").Order();
        Assert.Equal(files, listed);
    }

    [Fact]
    public void Every_CustomerGrains_variable_in_the_manifests_is_a_configuration_key_the_code_reads()
    {
        var names = Workloads.SelectMany(w => Environment(Container(w))).Select(e => e.Name).ToList();
        Assert.Contains("CustomerGrains__PostgreSql", names);

        var unknown = names.Where(n => !OtherVariables.Contains(n) && !IsConfigurationKey(n)).ToList();

        Assert.True(unknown.Count == 0, $"not a configuration key the code reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_plain_value_binds_to_its_option_type()
    {
        foreach (var workload in Workloads)
        {
            var container = Container(workload);
            var values = Environment(container)
                .Where(e => e.Name.StartsWith(CustomerGrainsOptions.Section + "__", StringComparison.Ordinal))
                .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => (string?)(Text(e.Entry, "value") ?? "from-a-secret"));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

            // Throws on a value that does not convert (a port that is not a number, a mode that does not exist).
            foreach (var (section, type) in BoundOptions)
            {
                _ = configuration.GetSection(section).Get(type);
            }
        }
    }

    [Fact]
    public void A_manifest_variable_naming_a_key_that_does_not_exist_is_caught()
    {
        Assert.True(IsConfigurationKey("CustomerGrains__AdvertisedIp"));
        Assert.True(IsConfigurationKey("CustomerGrains__ApiKeys__0__Scopes__2"));
        Assert.True(IsConfigurationKey("CustomerGrains__Journal__SnapshotEvery"));
        Assert.True(IsConfigurationKey("CustomerGrains__RateLimit__PermitsPerSecond"));
        Assert.False(IsConfigurationKey("CustomerGrains__AdvertiseIp"));
        Assert.False(IsConfigurationKey("CustomerGrains__ApiKeys__Key"));
        Assert.False(IsConfigurationKey("CustomerGrains__SiloPort__0"));
        Assert.False(IsConfigurationKey("CustomerGrains__SqliteConnectionString"));
        Assert.False(IsConfigurationKey("CustomerGrain__SiloPort"));
    }

    [Fact]
    public void Silos_advertise_their_own_pod_ip_and_pod_name_never_a_service_address()
    {
        var container = Container(SiloSet);

        Assert.Equal("status.podIP", FieldReference(container, "CustomerGrains__AdvertisedIp"));
        Assert.Equal("metadata.name", FieldReference(container, "CustomerGrains__SiloName"));
        var advertised = Value(container, "CustomerGrains__AdvertisedIp");
        Assert.DoesNotContain(All().Where(d => Text(d.Document, "kind") == "Service"),
            s => advertised is not null && advertised.Contains(Text(s.Document, "metadata", "name")!, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Variables_refer_only_to_variables_defined_before_them()
    {
        foreach (var workload in Workloads)
        {
            var defined = new HashSet<string>();
            foreach (var (name, entry) in Environment(Container(workload)))
            {
                foreach (Match reference in VariableReference().Matches(Text(entry, "value") ?? ""))
                {
                    Assert.True(defined.Contains(reference.Groups[1].Value), $"{name} refers to $({reference.Groups[1].Value}) before it is defined");
                }

                defined.Add(name);
            }
        }
    }

    [Fact]
    public void Ports_in_the_manifests_are_the_ports_the_code_listens_on()
    {
        var defaults = new CustomerGrainsOptions();
        var silo = Container(SiloSet);
        var siloSettings = AppSettings("Silo");
        Assert.Equal(defaults.SiloPort, Port(silo, "silo"));
        Assert.Equal(defaults.GatewayPort, Port(silo, "gateway"));
        Assert.Equal(siloSettings.GetProperty("CustomerGrains").GetProperty("SiloPort").GetInt32(), Port(silo, "silo"));
        Assert.Equal(siloSettings.GetProperty("CustomerGrains").GetProperty("GatewayPort").GetInt32(), Port(silo, "gateway"));
        Assert.Equal(Port(silo, "silo").ToString(CultureInfo.InvariantCulture), Value(silo, "CustomerGrains__SiloPort"));
        Assert.Equal(Port(silo, "gateway").ToString(CultureInfo.InvariantCulture), Value(silo, "CustomerGrains__GatewayPort"));

        // HTTP: the port of the built-in default, on every address of the pod instead of loopback.
        Assert.Equal(UrlPort(CustomerGrainsOptions.DefaultSiloUrls), Port(silo, "http"));
        Assert.Equal($"http://0.0.0.0:{Port(silo, "http")}", Value(silo, "Urls"));
        var api = Container(ApiDeployment);
        Assert.Equal(UrlPort(CustomerGrainsOptions.DefaultApiUrls), Port(api, "http"));
        Assert.Equal($"http://0.0.0.0:{Port(api, "http")}", Value(api, "Urls"));

        var headless = Resource("Service", Text(SiloSet, "spec", "serviceName")!);
        Assert.Equal([Port(silo, "silo"), Port(silo, "gateway")], ServicePorts(headless, "port"));
        Assert.All(ServiceTargets(headless), target => Port(silo, target));
        Assert.All(ServiceTargets(Resource("Service", "customergrains-api")), target => Port(api, target));
    }

    [Fact]
    public void Probes_check_the_health_routes_on_the_http_port()
    {
        var silo = Container(SiloSet);
        var api = Container(ApiDeployment);
        Assert.All(Probes(silo).Concat(Probes(api)), p => Assert.Equal("http", p.Port));
        Assert.All(Probes(silo), p => Assert.Equal("/health/live", p.Path));
        Assert.Equal("/health/live", Probes(api).Single(p => p.Kind == "livenessProbe").Path);
        Assert.Equal("/health/ready", Probes(api).Single(p => p.Kind == "readinessProbe").Path);
    }

    [Fact]
    public void Silos_are_given_longer_to_stop_than_their_own_shutdown_timeout()
    {
        var grace = int.Parse(Text(SiloSet, "spec", "template", "spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);

        Assert.True(grace > SiloHosting.ShutdownTimeout.TotalSeconds,
            $"terminationGracePeriodSeconds {grace} must exceed the silo's shutdown timeout {SiloHosting.ShutdownTimeout.TotalSeconds} s");
    }

    [Fact]
    public void The_Api_joins_the_silos_cluster_in_client_mode_with_its_secrets_from_a_Secret()
    {
        var silo = Container(SiloSet);
        var api = Container(ApiDeployment);
        Assert.Equal(HostingMode.Client, Enum.Parse<HostingMode>(Value(api, "CustomerGrains__Mode")!));
        Assert.Equal(Value(silo, "CustomerGrains__ClusterId"), Value(api, "CustomerGrains__ClusterId"));
        Assert.Equal(Value(silo, "CustomerGrains__ServiceId"), Value(api, "CustomerGrains__ServiceId"));

        Assert.NotNull(SecretReference(silo, "CustomerGrains__PostgreSql"));
        Assert.Equal(SecretReference(silo, "CustomerGrains__PostgreSql"), SecretReference(api, "CustomerGrains__PostgreSql"));
        // Index 0 replaces the development key appsettings.json ships there; it must never stay live in a cluster.
        Assert.NotNull(SecretReference(api, "CustomerGrains__ApiKeys__0__Key"));

        var secret = All().Single(d => d.File == "secret.example.yaml").Document;
        var references = new[] { silo, api }.SelectMany(Environment)
            .Select(e => (Name: Text(e.Entry, "valueFrom", "secretKeyRef", "name"), Key: Text(e.Entry, "valueFrom", "secretKeyRef", "key")))
            .Where(r => r.Name is not null);
        Assert.All(references, r =>
        {
            Assert.Equal(Text(secret, "metadata", "name"), r.Name);
            Assert.NotNull(Text(secret, "stringData", r.Key!));
        });
    }

    [Fact]
    public void Silo_Service_is_headless_the_Api_Service_is_a_ClusterIP_and_both_pod_sets_have_a_disruption_budget()
    {
        Assert.Equal("None", Text(Resource("Service", Text(SiloSet, "spec", "serviceName")!), "spec", "clusterIP"));
        Assert.Equal("ClusterIP", Text(Resource("Service", "customergrains-api"), "spec", "type"));

        var budgets = All().Where(d => Text(d.Document, "kind") == "PodDisruptionBudget").Select(d => d.Document).ToList();
        foreach (var workload in Workloads)
        {
            var labels = (YamlMappingNode)Node(workload, "spec", "template", "metadata", "labels")!;
            Assert.True(Selects((YamlMappingNode)Node(workload, "spec", "selector", "matchLabels")!, labels));
            Assert.Contains(budgets, b => Selects((YamlMappingNode)Node(b, "spec", "selector", "matchLabels")!, labels));
            Assert.Equal("true", Text(workload, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
        }

        foreach (var service in All().Where(d => Text(d.Document, "kind") == "Service").Select(d => d.Document))
        {
            Assert.Contains(Workloads, w => Selects((YamlMappingNode)Node(service, "spec", "selector")!,
                (YamlMappingNode)Node(w, "spec", "template", "metadata", "labels")!));
        }
    }

    [Fact]
    public void The_container_file_builds_both_images_on_official_dotnet_images_as_a_non_root_user()
    {
        var root = RepositoryRoot.Find();
        var lines = File.ReadAllLines(Path.Combine(root, "deploy", "Containerfile"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = new Dictionary<string, List<string>>();
        List<string>? stage = null;
        foreach (var line in lines)
        {
            var from = FromLine().Match(line);
            if (from.Success)
            {
                Assert.Matches(@"^mcr\.microsoft\.com/dotnet/(sdk|aspnet|runtime):10\.0$", from.Groups[1].Value);
                stages[from.Groups[2].Value] = stage = [];
            }

            stage?.Add(line);
        }

        Assert.Equal(["build", "silo", "api"], stages.Keys);
        var copied = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);
        Assert.All(copied, path => Assert.True(File.Exists(Path.Combine(root, path)) || Directory.Exists(Path.Combine(root, path)), $"COPY {path}: not in the repository"));

        foreach (var (target, project, workload) in new[] { ("silo", "Silo", SiloSet), ("api", "Api", ApiDeployment) })
        {
            var image = stages[target];
            Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", image[0], StringComparison.Ordinal);
            var user = image.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
            Assert.DoesNotContain(user, new[] { "root", "0" });
            var entry = image.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
            var dll = $"CustomerGrains.{project}.dll";
            Assert.Equal($"""ENTRYPOINT ["dotnet", "{dll}"]""", entry);
            Assert.True(File.Exists(Path.Combine(root, "src", project, "bin", RepositoryRoot.Configuration(), "net10.0", dll)), $"{dll} is not what src/{project} builds");

            var ports = ((YamlSequenceNode)Node(Container(workload), "ports")!).Children
                .Select(p => Text(p, "containerPort")!).Order().ToList();
            Assert.Equal(ports, image.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)).Split(' ')[1..].Order().ToList());
            Assert.Contains(image, l => l.Contains($"Urls={Value(Container(workload), "Urls")}", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Whether an environment variable name (<c>A__B__0__C</c>) lands on a settable property of an options class
    /// the code binds: every segment names a property, an index of a list, or a section; scalars end the name.
    /// </summary>
    internal static bool IsConfigurationKey(string variable)
    {
        var key = variable.Split("__");
        foreach (var (section, options) in BoundOptions)
        {
            var prefix = section.Split(':');
            if (key.Length > prefix.Length && key.Take(prefix.Length).SequenceEqual(prefix, StringComparer.OrdinalIgnoreCase)
                && Lands(options, key.AsSpan(prefix.Length)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Lands(Type type, ReadOnlySpan<string> rest)
    {
        if (IsScalar(type))
        {
            return rest.IsEmpty;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments().Single()
            : null;
        if (element is not null)
        {
            return int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) && Lands(element, rest[1..]);
        }

        var property = type.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && (property.CanWrite || !IsScalar(property.PropertyType)) && Lands(property.PropertyType, rest[1..]);
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);
    }

    /// <summary>The downward-API field a variable comes from, directly or through a <c>$(VAR)</c> it consists of.</summary>
    private static string? FieldReference(YamlMappingNode container, string name)
    {
        var entry = Environment(container).Single(e => e.Name == name).Entry;
        var direct = Text(entry, "valueFrom", "fieldRef", "fieldPath");
        if (direct is not null)
        {
            return direct;
        }

        var whole = Regex.Match(Text(entry, "value") ?? "", @"^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$");
        return whole.Success ? FieldReference(container, whole.Groups[1].Value) : null;
    }

    private static (string Name, string Key)? SecretReference(YamlMappingNode container, string name)
    {
        var entry = Environment(container).SingleOrDefault(e => e.Name == name).Entry;
        var secret = entry is null ? null : Text(entry, "valueFrom", "secretKeyRef", "name");
        return secret is null ? null : (secret, Text(entry!, "valueFrom", "secretKeyRef", "key")!);
    }

    internal static IEnumerable<(string Kind, string Path, string Port)> Probes(YamlMappingNode container) =>
        new[] { "startupProbe", "livenessProbe", "readinessProbe" }
            .Where(kind => Node(container, kind) is not null)
            .Select(kind => (kind, Text(container, kind, "httpGet", "path")!, Text(container, kind, "httpGet", "port")!));

    private static List<int> ServicePorts(YamlMappingNode service, string field) =>
        ((YamlSequenceNode)Node(service, "spec", "ports")!).Children.Select(p => int.Parse(Text(p, field)!, CultureInfo.InvariantCulture)).ToList();

    private static IEnumerable<string> ServiceTargets(YamlMappingNode service) =>
        ((YamlSequenceNode)Node(service, "spec", "ports")!).Children.Select(p => Text(p, "targetPort")!);

    private static bool Selects(YamlMappingNode selector, YamlMappingNode labels) =>
        selector.Children.All(s => labels.Children.TryGetValue(s.Key, out var value) && ((YamlScalarNode)value).Value == ((YamlScalarNode)s.Value).Value);

    private static JsonElement AppSettings(string project) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "src", project, "appsettings.json"))).RootElement;

    private static int UrlPort(string url) => new Uri(url).Port;

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^FROM\s+(\S+)\s+AS\s+(\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}
