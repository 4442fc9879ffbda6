using System.Net.Http.Json;
using System.Text.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;

namespace Portal.Agent.Enrollment;

/// <summary>Thrown when the portal refuses an enrollment; the message is the portal's own explanation.</summary>
public sealed class EnrollmentRefusedException(string message) : Exception(message);

/// <summary>Exchanges an enrollment token for the device's identity.</summary>
public static class EnrollmentClient
{
    public static async Task<EnrollResponse> EnrollAsync(HttpClient http, Uri portal, string token, string name, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(portal, ApiRoutes.AgentEnroll), new EnrollRequest(token, name), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<EnrollResponse>(cancellationToken))!;
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode is System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests)
        {
            // A proxy during a portal restart, or a busy portal: worth trying again, unlike a refusal.
            throw new HttpRequestException($"The portal answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
        }

        throw new EnrollmentRefusedException($"The portal refused the enrollment ({(int)response.StatusCode}): {detail}");
    }
}
