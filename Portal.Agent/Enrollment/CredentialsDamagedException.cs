namespace Portal.Agent.Enrollment;

/// <summary>The credentials file and its last good copy cannot be read; the message says what to do.</summary>
public sealed class CredentialsDamagedException(string message) : Exception(message);
