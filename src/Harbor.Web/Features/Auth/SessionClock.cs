namespace Harbor.Web.Features.Auth;

/// <summary>
/// The clock that token lifetimes run on. It is the app's clock, except under the simulation
/// clock, where moving the business day forward must not end everyone's session: there it is
/// real time.
/// </summary>
public sealed class SessionClock(TimeProvider provider)
{
    public DateTimeOffset Now => provider.GetUtcNow();
}
