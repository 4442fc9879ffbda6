using Portal.Features.Telemetry;
using Portal.Shared.Telemetry;

namespace Portal.Tests.Telemetry;

public sealed class TelemetryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static TelemetrySample Good(long sequence) => new(sequence, Now, 12.5, 1_000, 2_000, 10, 20, 0.7, 5, 6, 45, null, null);

    [Fact]
    public void Problem_GoodBatch_None() => Assert.Null(TelemetryRules.Problem(new TelemetryBatch([Good(1), Good(2)], 0), Now));

    public static TheoryData<TelemetrySample, string> BadSamples => new()
    {
        { Good(1) with { CpuPercent = double.NaN }, "utilisation" },
        { Good(1) with { CpuPercent = 140 }, "utilisation" },
        { Good(1) with { MemoryUsedBytes = -1 }, "negative" },
        { Good(1) with { DiskUsedBytes = 30 }, "more than the total" },
        { Good(1) with { TemperatureCelsius = double.PositiveInfinity }, "temperature" },
        { Good(1) with { At = Now.AddHours(2) }, "in the future" },
        { Good(0), "sequence" },
    };

    [Theory]
    [MemberData(nameof(BadSamples))]
    public void Problem_BadSample_RejectsTheBatchAndSaysWhy(TelemetrySample sample, string reason)
    {
        var problem = TelemetryRules.Problem(new TelemetryBatch([sample], 0), Now);

        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_OutOfOrder_Rejected() =>
        Assert.Contains("increasing", TelemetryRules.Problem(new TelemetryBatch([Good(2), Good(1)], 0), Now), StringComparison.Ordinal);

    [Fact]
    public void Problem_Oversized_Rejected()
    {
        var samples = Enumerable.Range(1, TelemetryBatch.MaxSamples + 1).Select(i => Good(i)).ToList();

        Assert.Contains("at most", TelemetryRules.Problem(new TelemetryBatch(samples, 0), Now), StringComparison.Ordinal);
    }
}
