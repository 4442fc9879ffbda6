namespace Portal.Shared.Devices;

/// <summary>The answer to creating a token: the only time <see cref="Token"/> is ever shown.</summary>
public sealed record CreatedEnrollmentToken(EnrollmentTokenDto Details, string Token);
