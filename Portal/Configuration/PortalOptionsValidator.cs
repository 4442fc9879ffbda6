using Microsoft.Extensions.Options;

namespace Portal.Configuration;

/// <summary>
/// Validates <see cref="PortalOptions"/> and, through <c>[ValidateObjectMembers]</c>, every nested section
/// (<c>ValidateDataAnnotations</c> stops at the top level, so <c>Portal:Database:Provider=postgres</c> used to start on SQLite).
/// Source-generated, so no reflection at start.
/// </summary>
[OptionsValidator]
public sealed partial class PortalOptionsValidator : IValidateOptions<PortalOptions>;
