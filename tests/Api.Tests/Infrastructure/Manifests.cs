using YamlDotNet.RepresentationModel;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>The Kubernetes manifests under <c>deploy/k8s</c>, parsed strictly, and ways to read them.</summary>
public static class Manifests
{
    public static string Folder => Path.Combine(RepositoryRoot.Find(), "deploy", "k8s");

    /// <summary>Every YAML document of every file; a syntax error or a duplicate key throws.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Document)> All()
    {
        var documents = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                var root = document.RootNode as YamlMappingNode
                    ?? throw new InvalidDataException($"{Path.GetFileName(file)}: a document that is not a mapping");
                documents.Add((Path.GetFileName(file), root));
            }
        }

        return documents;
    }

    public static YamlMappingNode Resource(string kind, string name) =>
        All().Select(d => d.Document).Single(d => Text(d, "kind") == kind && Text(d, "metadata", "name") == name);

    /// <summary>The one container of a Deployment's or StatefulSet's pod template.</summary>
    public static YamlMappingNode Container(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlSequenceNode)Node(workload, "spec", "template", "spec", "containers")!).Children.Single();

    /// <summary>The container's environment in order: name → the entry (with <c>value</c> or <c>valueFrom</c>).</summary>
    public static IReadOnlyList<(string Name, YamlMappingNode Entry)> Environment(YamlMappingNode container) =>
        Node(container, "env") is YamlSequenceNode env
            ? env.Children.Cast<YamlMappingNode>().Select(e => (Text(e, "name")!, e)).ToList()
            : [];

    /// <summary>A plain value of the container's environment, or null when it is absent or comes from elsewhere.</summary>
    public static string? Value(YamlMappingNode container, string name) =>
        Environment(container).Where(e => e.Name == name).Select(e => Text(e.Entry, "value")).SingleOrDefault();

    /// <summary>The container port with that name.</summary>
    public static int Port(YamlMappingNode container, string name) =>
        ((YamlSequenceNode)Node(container, "ports")!).Children.Cast<YamlMappingNode>()
            .Where(p => Text(p, "name") == name).Select(p => int.Parse(Text(p, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture)).Single();

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;
}
