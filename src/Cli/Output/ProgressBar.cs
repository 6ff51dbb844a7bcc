using Spectre.Console;

namespace CustomerGrains.Cli.Output;

/// <summary>One bar of a Spectre.Console progress display, or nothing when no one watches (<see cref="Hidden"/>).</summary>
public sealed class ProgressBar(ProgressTask? task)
{
    public static readonly ProgressBar Hidden = new(null);

    /// <summary>How much there is to do, when known; unknown shows a moving bar.</summary>
    public void Total(double? total)
    {
        if (task is null)
        {
            return;
        }

        task.IsIndeterminate = total is null;
        if (total is { } max)
        {
            task.MaxValue = Math.Max(max, 1);
        }
    }

    /// <summary>How much is done; the total grows with it when the work turned out larger than announced.</summary>
    public void Done(double value)
    {
        if (task is null)
        {
            return;
        }

        if (value > task.MaxValue)
        {
            task.MaxValue = value;
        }

        task.Value = value;
    }

    public void Describe(string description)
    {
        if (task is not null)
        {
            task.Description = Markup.Escape(description);
        }
    }

    public void Complete()
    {
        if (task is not null)
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
