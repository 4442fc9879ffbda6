namespace Portal.Shared.Devices;

/// <summary>
/// The answer to creating an enrollment token: the token as listed and its <see cref="Secret"/>, shown this once and
/// never again. The same shape as a new access token: <c>{"token": {...}, "secret": "..."}</c>.
/// </summary>
public sealed record CreatedEnrollmentToken(EnrollmentTokenDto Token, string Secret);
