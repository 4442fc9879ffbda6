namespace Portal.Features.Compose;

/// <summary>Checks <c>depends_on</c>: every dependency names a service of the file, and there is no cycle.</summary>
internal static class ComposeDependencies
{
    public static void Check(IReadOnlyList<ComposeService> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var service in services)
        {
            foreach (var dependency in service.DependsOn)
            {
                if (!byName.TryGetValue(dependency.Service, out var target))
                {
                    throw new ComposeException(service.Line, $"Service '{service.Name}' depends on '{dependency.Service}', which is not a service of this file.");
                }

                if (dependency.Condition == Shared.Workloads.DependencyCondition.ServiceHealthy && target.HealthCheck is null)
                {
                    throw new ComposeException(service.Line, $"Service '{service.Name}' waits for '{dependency.Service}' to be healthy, but '{dependency.Service}' has no healthcheck.");
                }
            }
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            Visit(service, byName, done, []);
        }
    }

    private static void Visit(ComposeService service, Dictionary<string, ComposeService> byName, HashSet<string> done, List<string> path)
    {
        if (done.Contains(service.Name))
        {
            return;
        }

        if (path.Contains(service.Name, StringComparer.Ordinal))
        {
            var cycle = string.Join(" -> ", path.SkipWhile(p => p != service.Name).Append(service.Name));
            throw new ComposeException(service.Line, $"depends_on has a cycle: {cycle}.");
        }

        path.Add(service.Name);
        foreach (var dependency in service.DependsOn)
        {
            Visit(byName[dependency.Service], byName, done, path);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(service.Name);
    }
}
