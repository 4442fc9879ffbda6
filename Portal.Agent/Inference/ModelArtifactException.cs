namespace Portal.Agent.Inference;

/// <summary>A model artifact could not be fetched or installed; the message is the Failed reason the portal shows.</summary>
public sealed class ModelArtifactException(string message, Exception? inner = null) : Exception(message, inner);
