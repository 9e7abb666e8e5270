namespace Harbor.Web.Components;

/// <summary>
/// How a page calls a use case. A live page (a Blazor Server circuit) keeps one DI scope for as long
/// as it is open, and its handlers overlap (a live check while a form submits); a DbContext must not
/// be shared like that. Each call gets a fresh scope, so a page runs a use case exactly as an
/// endpoint does: one DbContext, one unit of work.
/// </summary>
public sealed class UseCases(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TUseCase, TResult>(Func<TUseCase, Task<TResult>> call)
        where TUseCase : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }
}
