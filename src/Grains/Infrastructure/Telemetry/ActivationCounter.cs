using Orleans.Metadata;

namespace CustomerGrains.Grains.Infrastructure.Telemetry;

/// <summary>
/// Counts the activations of one grain class in this silo from outside the grain: Orleans hands every new activation of
/// the class to <see cref="Configure"/>, which joins its lifecycle (counted up once activated, down once deactivated).
/// </summary>
public sealed class ActivationCounter(Type grainClass, Action activated, Action deactivated) : IConfigureGrainContextProvider, IConfigureGrainContext
{
    private readonly string _name = grainClass.FullName!;

    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, out IConfigureGrainContext configurator)
    {
        configurator = this;
        return properties.Properties.TryGetValue(WellKnownGrainTypeProperties.FullTypeName, out var name) && name == _name;
    }

    public void Configure(IGrainContext context) =>
        context.ObservableLifecycle.Subscribe(
            nameof(ActivationCounter),
            GrainLifecycleStage.Activate,
            _ =>
            {
                activated();
                return Task.CompletedTask;
            },
            _ =>
            {
                deactivated();
                return Task.CompletedTask;
            });
}
