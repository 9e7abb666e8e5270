using System.Security.Claims;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Harbor.Web.Components;

/// <summary>
/// A live page (a circuit) keeps the principal it started with; this re-checks it against the
/// account as often as the cookie is re-checked, so a deactivated account or a changed role stops
/// an open page too.
/// </summary>
internal sealed class CircuitAuthenticationState(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => AuthSetup.RecheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var principal = authenticationState.User;
        var user = await AuthSetup.CurrentUserAsync(db, principal, cancellationToken);
        return user is not null
            && user.Role.ClaimValue() == principal.FindFirstValue(ClaimTypes.Role)
            && user.GroupId?.ToString() == principal.FindFirstValue(Viewers.GroupClaim);
    }
}
