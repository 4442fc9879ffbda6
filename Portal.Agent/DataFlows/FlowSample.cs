namespace Portal.Agent.DataFlows;

/// <summary>
/// One value of a flow at one time: one number, or several (a window, oldest first). <see cref="Error"/> set makes it
/// Bad (a read that failed, a model that could not run): it travels on so that every step after it says why, and no
/// sink sends a number that was never read.
/// </summary>
public sealed record FlowSample(double[] Values, DateTimeOffset Time, string? Error = null)
{
    public bool Good => Error is null;

    public double Value => Values.Length > 0 ? Values[0] : double.NaN;

    public static FlowSample Of(double value, DateTimeOffset time) => new([value], time);

    public static FlowSample Bad(string error, DateTimeOffset time) => new([], time, error);
}
