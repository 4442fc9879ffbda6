namespace Portal.Shared.Devices;

/// <summary>Body of <c>POST /api/v1/agent/enroll</c>, sent once by a new agent.</summary>
public sealed record EnrollRequest(string Token, string Name);
