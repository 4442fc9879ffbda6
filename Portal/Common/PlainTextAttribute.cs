using System.ComponentModel.DataAnnotations;

namespace Portal.Common;

/// <summary>The <see cref="PlainText"/> check for forms bound with data annotations (the sign-in and account pages).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute(string what) : ValidationAttribute
{
    public bool Multiline { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        PlainText.Problem(value as string, what, Multiline) is { } problem
            ? new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;
}
