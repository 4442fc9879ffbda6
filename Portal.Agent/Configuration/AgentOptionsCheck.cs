using System.ComponentModel.DataAnnotations;

namespace Portal.Agent.Configuration;

public static class AgentOptionsCheck
{
    /// <summary>Every problem with the options, as sentences for the person who started the agent.</summary>
    public static IReadOnlyList<string> Problems(AgentOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        Validator.TryValidateObject(options.Inference, new ValidationContext(options.Inference), results, validateAllProperties: true);
        Validator.TryValidateObject(options.Update, new ValidationContext(options.Update), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "Invalid setting.").ToList();
    }
}
