namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// Grain references for the hot paths. Orleans' <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain
/// type by reflection on every call (attributes, type names): measured here as the largest source of reflection
/// garbage on the ingest path, once per customer, shard and deadline call. The types of an interface never
/// change, so they are resolved once and every later reference is made from its id.
/// </summary>
public static class GrainRefs
{
    public static T Get<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey => Resolved<T>.Get(grains, key);

    private static class Resolved<T> where T : IGrainWithStringKey
    {
        private static (GrainType Grain, GrainInterfaceType Interface)? _types;

        public static T Get(IGrainFactory grains, string key)
        {
            if (_types is { } types)
            {
                return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
            }

            var first = grains.GetGrain<T>(key);
            var reference = (GrainReference)(object)first;
            _types = (reference.GrainId.Type, reference.InterfaceType);
            return first;
        }
    }
}
