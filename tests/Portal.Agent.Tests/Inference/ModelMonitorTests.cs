using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Inference;
using Portal.Agent.Inference.Monitoring;

namespace Portal.Agent.Tests.Inference;

/// <summary>The agent's per-feature statistics of what a model is sent and answers.</summary>
public sealed class ModelMonitorTests
{
    [Fact]
    public void Observe_CountsColumnsOfNarrowInputs_AndSummariesOfWideOnes_AndReportsOnlyWhatChanged()
    {
        var monitor = new ModelMonitor();
        Assert.Null(monitor.Report());
        using (var inputs = Inputs(("features", [2, 3], [1f, 2f, 3f, 4f, 5f, 6f]), ("window", [1, 40], [.. Enumerable.Repeat(2f, 40)])))
        {
            monitor.Observe(inputs, [new OutputTensor("score", "FP32", [2, 1], new float[] { 0.5f, 1.5f }), new OutputTensor("label", "BYTES", [2], new[] { "a", "b" })]);
        }

        var report = monitor.Report()!.ToDictionary(f => f.Name);
        Assert.Equal(["in:features[0]", "in:features[1]", "in:features[2]", "in:window:mean", "in:window:std", "out:score[0]"], report.Keys.Order());
        Assert.Equal((2, 5.0, 1.0, 4.0), (report["in:features[0]"].Count, report["in:features[0]"].Sum, report["in:features[0]"].Min, report["in:features[0]"].Max));
        Assert.Equal(2, report["in:window:mean"].Mean, 6);
        Assert.Equal(2, report["out:score[0]"].Count);
        Assert.Equal(report["out:score[0]"].Count, report["out:score[0]"].Counts.Sum());
        Assert.Null(monitor.Report());
    }

    [Fact]
    public void Buckets_StayBounded_WhateverIsSent()
    {
        var monitor = new ModelMonitor();
        for (var i = 0; i < 20; i++)
        {
            using var inputs = Inputs(("x", [500, 1], [.. Enumerable.Range(i * 500, 500).Select(v => (float)Math.Pow(1.05, v % 1500))]));
            monitor.Observe(inputs, []);
        }

        var x = Assert.Single(monitor.Report()!);
        Assert.Equal(10_000, x.Count);
        Assert.True(x.Keys.Length <= Portal.Shared.Models.Monitoring.FeatureStats.MaxBuckets);
        Assert.Equal(10_000, x.Counts.Sum());
    }

    private static TensorSet Inputs(params (string Name, long[] Shape, float[] Data)[] tensors) =>
        new([.. tensors.Select(t => t.Name)], [.. tensors.Select(t => OrtValue.CreateTensorValueFromMemory(t.Data, t.Shape))]);
}
