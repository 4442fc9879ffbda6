using System.Globalization;
using Docker.DotNet.Models;

namespace Portal.Agent.Docker;

/// <summary>Reads a <see cref="ContainerInfo"/> back from the engine's inspect answer: our labels and the container's state.</summary>
internal static class DockerContainerInfo
{
    public static ContainerInfo From(ContainerInspectResponse container)
    {
        var labels = new Dictionary<string, string>(container.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var state = container.State ?? new State();
        return new ContainerInfo(
            container.ID,
            labels.GetValueOrDefault(WorkloadLabels.Workload, ""),
            labels.GetValueOrDefault(WorkloadLabels.Deployment, ""),
            long.TryParse(labels.GetValueOrDefault(WorkloadLabels.Revision), CultureInfo.InvariantCulture, out var revision) ? revision : 0,
            labels.GetValueOrDefault(WorkloadLabels.SpecHash, ""),
            container.Config?.Image ?? container.Image,
            state.Running,
            state.Restarting,
            (int)state.ExitCode,
            string.IsNullOrEmpty(state.Error) ? null : state.Error,
            StartedAt(state.StartedAt),
            (int)container.RestartCount,
            labels.GetValueOrDefault(WorkloadLabels.Stack),
            labels.GetValueOrDefault(WorkloadLabels.Service),
            string.IsNullOrEmpty(state.Health?.Status) ? null : state.Health.Status);
    }

    /// <summary>Docker reports a container that never started as <c>0001-01-01T00:00:00Z</c>.</summary>
    internal static DateTimeOffset? StartedAt(string? text) =>
        text is not null && DockerLogSplitter.TryParseTimestamp(text, out var at) && at.Year > 1 ? at : null;
}
