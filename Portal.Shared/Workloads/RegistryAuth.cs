namespace Portal.Shared.Workloads;

/// <summary>
/// The credential the agent pulls a container's image with, sent only for images on <see cref="Server"/>. The password
/// (or token) is a secret: stored encrypted on the portal, in the agent's owner-only desired-state file, never logged.
/// </summary>
public sealed record RegistryAuth(string Server, string Username, string Password);
