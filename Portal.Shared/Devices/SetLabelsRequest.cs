namespace Portal.Shared.Devices;

/// <summary>Body of <c>PUT /api/v1/devices/{id}/labels</c>: the device's whole label set.</summary>
public sealed record SetLabelsRequest(IReadOnlyDictionary<string, string> Labels);
