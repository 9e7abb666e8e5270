using Harbor.Web.Http;
using Microsoft.AspNetCore.Components.Authorization;

namespace Harbor.Web.Components;

/// <summary>
/// Runs a use case from a page in a scope of its own (a circuit lives long; a DbContext should
/// not), with the signed-in person as the actor the audit trail records.
/// </summary>
public sealed class UseCases(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    public async Task<TResult> RunAsync<TUseCase, TResult>(Func<TUseCase, Task<TResult>> call)
        where TUseCase : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        var state = await authentication.GetAuthenticationStateAsync();
        scope.ServiceProvider.GetRequiredService<Actor>().Id = Actor.IdOf(state.User);
        return await call(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }
}
