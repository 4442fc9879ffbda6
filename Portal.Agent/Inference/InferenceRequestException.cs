namespace Portal.Agent.Inference;

/// <summary>A request that does not fit the model: the message says which input and what is wrong (HTTP 400).</summary>
public sealed class InferenceRequestException(string message) : Exception(message);
