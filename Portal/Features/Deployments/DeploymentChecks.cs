using Portal.Components.Shared;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: whether a device can run a workload, judged from what it last reported. A device that cannot gets one
/// sentence per problem, saying what to do; what is only uncertain (offline, no inventory yet) is a note, not a refusal:
/// the device then gets the deployment and reports how it went.
/// </summary>
public static class DeploymentChecks
{
    /// <summary>The oldest agent that runs containers: every released agent does.</summary>
    public static readonly Version MinimumAgentForContainers = new(0, 1, 0);

    /// <summary>
    /// The oldest agent that takes model workloads. Agents before 0.2.0 all said "0.1.0", whatever their age, so none of
    /// them can be trusted to serve models as this portal expects.
    /// </summary>
    public static readonly Version MinimumAgentForModels = new(0, 2, 0);

    public static DeviceCheck Check(CheckedWorkload workload, CheckedDevice device)
    {
        var problems = new List<DeviceCheckProblem>();
        var notes = new List<string>();
        if (!device.Online)
        {
            notes.Add("Offline: it receives the deployment when it reconnects.");
        }

        if (workload.NeedsModel is { } model && device.Models.All(m => m.Name != model))
        {
            // A note, not a refusal: the model may well be deployed right after the flow.
            notes.Add($"{device.Name} is not given the model {model} by any deployment: deploy it there too, or the flow's model step reports that it is not served.");
        }

        if ((ConfigProblem(workload, device) ?? TypeProblem(workload, device)) is { } missing)
        {
            problems.Add(missing);
        }

        var inventory = device.Inventory;
        if (inventory is null)
        {
            notes.Add("It has not reported its inventory yet, so it could not be checked.");
            return new DeviceCheck(device.Id, device.Name, problems, notes);
        }

        if (AgentProblem(workload, device, inventory.AgentVersion, notes) is { } tooOld)
        {
            problems.Add(tooOld);
        }

        if (workload.Kind == WorkloadKind.AgentRelease && inventory.UpdateProblem is { Length: > 0 } notUpdatable && AgentVersion(inventory.AgentVersion) is { } v && v >= DesiredStateShape.AgentReleasesFrom)
        {
            problems.Add(new(DeviceCheckReason.AgentNotUpdatable, $"The agent on {device.Name} cannot update itself: {notUpdatable.TrimEnd('.')}."));
        }

        if (workload.Kind is WorkloadKind.Container or WorkloadKind.Stack && inventory.DockerVersion is null)
        {
            var why = string.IsNullOrWhiteSpace(inventory.DockerProblem) ? "no Docker engine answered its agent" : inventory.DockerProblem.TrimEnd('.');
            problems.Add(new(DeviceCheckReason.DockerUnreachable,
                $"{device.Name} cannot run containers: {why}. Install or start Docker there (or let the agent reach it), or deploy to other devices."));
        }

        var gpus = inventory.Gpus?.Count ?? 0;
        if (workload.NeedsGpu && gpus == 0)
        {
            problems.Add(new(DeviceCheckReason.GpuMissing,
                $"{workload.Title} needs a GPU and {device.Name} reports none: deploy it to a device with an NVIDIA GPU (and nvidia-smi), or choose a version that runs on CPU."));
        }
        else if (workload.PrefersCuda && gpus == 0)
        {
            notes.Add("No GPU reported: the model runs on CPU there.");
        }

        problems.AddRange(PortProblems(workload, device));
        if (workload.HostDevices is [_, ..] hostDevices)
        {
            notes.Add($"It asks for host device{(hostDevices.Count == 1 ? "" : "s")} {string.Join(", ", hostDevices)}: agents do not report theirs, so make sure {device.Name} has them.");
        }

        if (DiskProblem(workload, device) is { } disk)
        {
            problems.Add(disk);
        }

        if (ArchitectureProblem(workload, device) is { } architecture)
        {
            problems.Add(architecture);
        }

        return new DeviceCheck(device.Id, device.Name, problems, notes);
    }

    /// <summary>"2 devices will receive this; 1 cannot."</summary>
    public static DeploymentCheck Summarize(IReadOnlyList<DeviceCheck> devices)
    {
        var receiving = devices.Count(d => d.Eligible);
        var refused = devices.Count - receiving;
        var summary = devices.Count == 0
            ? "The targets have no devices yet: devices that join a target group later receive it."
            : $"{(receiving == 0 ? "No device" : Devices(receiving))} will receive this{(refused == 0 ? "" : $"; {refused} cannot")}.";
        return new DeploymentCheck(devices.Count, receiving, summary, devices);
    }

    /// <summary>The 409 a create answers when targets cannot run it and the request did not say to skip them.</summary>
    public static string Conflict(DeploymentCheck check)
    {
        var refused = check.Ineligible.ToList();
        var who = string.Join(" ", refused.Take(5).Select(d => d.Why));
        var more = refused.Count > 5 ? $" And {refused.Count - 5} more (see the check)." : "";
        var next = check.Receiving == 0
            ? "None of the targets can run it: fix those devices or choose other targets."
            : $"Deploy to the other {Devices(check.Receiving)} with skipIneligible: true, fix those devices, or change the targets.";
        return $"{(refused.Count == 1 ? "1 target device cannot" : $"{refused.Count} target devices cannot")} run this: {who}{more} {next}";
    }

    private static DeviceCheckProblem? ConfigProblem(CheckedWorkload workload, CheckedDevice device) =>
        device.Config is not { } config || workload.References?.Where(r => !config.Has(r)).ToList() is not [_, ..] missing ? null
        : new(DeviceCheckReason.ConfigMissing,
            $"{device.Name} lacks {string.Join(", ", missing)}: set {(missing.Count == 1 ? "it" : "them")} in the fleet's, one of its groups' or the device's configuration{(missing.Any(m => m.IsSecret) ? " (secrets)" : "")}, or deploy to other devices.");

    /// <summary>A typed parameter filled by config gets a value of another type on this device (a secret's value is not shown).</summary>
    private static DeviceCheckProblem? TypeProblem(CheckedWorkload workload, CheckedDevice device)
    {
        if (device.Config is not { } config || workload.Typed is not [_, ..] typed)
        {
            return null;
        }

        foreach (var t in typed)
        {
            var value = t.Reference.IsSecret ? config.Secrets.GetValueOrDefault(t.Reference.Key) : config.Values.GetValueOrDefault(t.Reference.Key);
            if (value is not null && !ParameterBinder.Fits(t.Type, value))
            {
                var shown = t.Reference.IsSecret ? "is not" : $"is '{(value.Length > 40 ? value[..40] + "…" : value)}', not";
                return new(DeviceCheckReason.ConfigInvalid,
                    $"On {device.Name}, {t.Reference} {shown} {ParameterBinder.Describe(t.Type)} as the parameter {t.Parameter} needs: fix the value in its configuration, or deploy to other devices.");
            }
        }

        return null;
    }

    private static DeviceCheckProblem? AgentProblem(CheckedWorkload workload, CheckedDevice device, string? reported, List<string> notes)
    {
        var minimum = workload.Kind switch
        {
            WorkloadKind.Model => MinimumAgentForModels,
            WorkloadKind.DataFlow => DesiredStateShape.DataFlowsFrom,
            WorkloadKind.AgentRelease => DesiredStateShape.AgentReleasesFrom,
            _ => MinimumAgentForContainers,
        };
        if (AgentVersion(reported) is null && workload.Kind is WorkloadKind.DataFlow or WorkloadKind.AgentRelease)
        {
            // Such an agent is never sent a flow or a release (DesiredStateShape), so it would wait for ever.
            return new(DeviceCheckReason.AgentTooOld, workload.Kind == WorkloadKind.DataFlow
                ? $"The agent on {device.Name} reports version '{reported}', which could not be read; data flows need {minimum} or newer: update the agent on the device."
                : $"The agent on {device.Name} reports version '{reported}', which could not be read (a development build?): only released agents from {minimum} update over the air; install one on the device by hand.");
        }

        if (AgentVersion(reported) is not { } version)
        {
            notes.Add($"Its agent reports version '{reported}', which could not be compared: it needs {minimum} or newer.");
            return null;
        }

        if (workload.Kind == WorkloadKind.AgentRelease)
        {
            return version >= minimum ? null : new(DeviceCheckReason.AgentTooOld,
                $"The agent on {device.Name} is version {reported}; agents update themselves from {minimum}: install {minimum} or newer on the device by hand once (README, \"Installing the agent on a device\").");
        }

        var kind = workload.Kind switch { WorkloadKind.Model => "Models", WorkloadKind.DataFlow => "Data flows", _ => "Containers" };
        return version >= minimum ? null : new(DeviceCheckReason.AgentTooOld,
            $"The agent on {device.Name} is version {reported}; {kind} need {minimum} or newer: update the agent on the device.");
    }

    /// <summary>"0.2.0", "0.2.0-beta+abc" → 0.2.0; null for anything else ("dev").</summary>
    public static Version? AgentVersion(string? text)
    {
        var core = (text ?? "").Split('-', '+')[0].Trim();
        return System.Version.TryParse(core, out var version) ? new Version(version.Major, version.Minor, Math.Max(0, version.Build)) : null;
    }

    private static IEnumerable<DeviceCheckProblem> PortProblems(CheckedWorkload workload, CheckedDevice device)
    {
        // The workload's own earlier deployment is replaced, not clashed with.
        var taken = device.Workloads.Where(w => w.Name != workload.Name)
            .SelectMany(w => Published(w.Ports, w.NetworkMode).Select(p => (Port: p, Owner: w)))
            .ToList();
        // A stack's own services may not take one port twice either: the second would fail to start.
        foreach (var twice in Published(workload.Ports, workload.NetworkMode).GroupBy(p => p).Where(g => g.Count() > 1))
        {
            yield return new(DeviceCheckReason.PortInUse,
                $"Host port {twice.Key.Port}/{twice.Key.Protocol} is taken by {twice.Count()} services of {workload.Title}: deploy a version whose services use different ports.");
        }

        foreach (var port in Published(workload.Ports, workload.NetworkMode).Distinct())
        {
            if (taken.FirstOrDefault(t => t.Port == port) is { Owner: { } owner })
            {
                yield return new(DeviceCheckReason.PortInUse,
                    $"Host port {port.Port}/{port.Protocol} is already used on {device.Name} by {owner.Name} (deployment {owner.DeploymentId}): " +
                    "remove or move that workload, or deploy a version that uses another port.");
            }
        }
    }

    /// <summary>The host ports a container takes: under host networking its container ports, otherwise the published ones.</summary>
    private static IEnumerable<(int Port, string Protocol)> Published(IReadOnlyList<PortMapping> ports, string networkMode) =>
        networkMode == "none" ? [] : ports.Select(p => (networkMode == "host" || p.HostPort <= 0 ? p.ContainerPort : p.HostPort, (p.Protocol ?? "tcp").ToLowerInvariant()));

    private static DeviceCheckProblem? DiskProblem(CheckedWorkload workload, CheckedDevice device)
    {
        var inventory = device.Inventory!;
        // Unknown size, unknown disk, or already there (the same image runs, the same model file is staged): nothing to fit.
        if (workload.SizeBytes is not > 0 || inventory.DiskTotalBytes <= 0 || AlreadyThere(workload, device))
        {
            return null;
        }

        var needed = workload.SizeBytes.Value;
        var what = workload.Kind switch { WorkloadKind.Model => "model file", WorkloadKind.AgentRelease => "agent build", _ => "image" };
        return needed <= inventory.DiskFreeBytes ? null : new(DeviceCheckReason.DiskSpace,
            $"{device.Name} has {Humanize.FileSize(inventory.DiskFreeBytes)} of disk free; the {what} of {workload.Title} needs {Humanize.FileSize(needed)}: " +
            "free space on the device (old images, logs) or deploy to another device.");
    }

    private static bool AlreadyThere(CheckedWorkload workload, CheckedDevice device) =>
        workload.Kind == WorkloadKind.AgentRelease ? device.Inventory?.AgentVersion == workload.Artifact
        : workload.Kind == WorkloadKind.Model ? device.Models.Any(m => m.Sha256 == workload.Artifact)
        : device.Reported.Any(r => r.Kind == workload.Kind && (r.Image == workload.Artifact || (r.Kind == WorkloadKind.Stack && r.Name == workload.Name)));

    private static DeviceCheckProblem? ArchitectureProblem(CheckedWorkload workload, CheckedDevice device)
    {
        if (workload.Architectures is null || Architecture(device.Inventory!.Architecture) is not { } have)
        {
            return null;
        }

        var built = workload.Architectures.Select(Architecture).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return built.Count == 0 || built.Contains(have) ? null : new(DeviceCheckReason.Architecture,
            $"{workload.Title} is built for {string.Join(", ", built)} only and {device.Name} is {have}: choose a version built for {have}, or another device.");
    }

    /// <summary>Docker's name for a CPU architecture, from .NET's ("X64", "Arm64") or Docker's ("linux/amd64", "arm/v7").</summary>
    public static string? Architecture(string? name)
    {
        var text = (name ?? "").Trim().ToLowerInvariant();
        text = text.StartsWith("linux/", StringComparison.Ordinal) ? text["linux/".Length..] : text;
        return text switch
        {
            "" => null,
            "x64" or "amd64" or "x86_64" or "x86-64" => "amd64",
            "arm64" or "aarch64" or "arm64/v8" => "arm64",
            "arm" or "armv7" or "armv7l" or "armhf" or "arm/v7" or "armv6" or "arm/v6" => "arm",
            "x86" or "386" or "i386" or "i686" => "386",
            _ => text,
        };
    }

    private static string Devices(int count) => count == 1 ? "1 device" : $"{count} devices";
}
