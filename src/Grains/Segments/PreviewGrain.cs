using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Segments;

[StatelessWorker]
public sealed class PreviewGrain(CustomerDirectoryReader customers, ISegmentSubjects subjects, [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, IPreviewGrain
{
    private const int Page = 500;

    public async Task<SegmentPreview> PreviewAsync(string ruleText, int sampleSize)
    {
        var store = this.GetPrimaryKeyString();
        var sample = ImmutableArray.CreateBuilder<string>(sampleSize);
        long count = 0, evaluated = 0;
        await customers.ForEachPageAsync(store, Page, async ids =>
        {
            var matches = await subjects.MatchAsync(store, ids, ruleText);
            for (var i = 0; i < ids.Count; i++)
            {
                if (matches[i])
                {
                    count++;
                    if (sample.Count < sampleSize)
                    {
                        sample.Add(ids[i]);
                    }
                }
            }

            evaluated += ids.Count;
            return true;
        });

        return new SegmentPreview(count, evaluated, sample.ToImmutable(), time.GetUtcNow());
    }
}
