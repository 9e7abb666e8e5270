namespace Harbor.Web.Features.Notifications;

/// <summary>
/// Within one browser tab (a circuit): the notifications page tells the bell that something was
/// marked read, so the count drops at once instead of at the bell's next read.
/// </summary>
public sealed class NotificationsChanged
{
    public event Func<Task>? Changed;

    public async Task RaiseAsync()
    {
        foreach (var listener in Changed?.GetInvocationList().Cast<Func<Task>>() ?? [])
            await listener();
    }
}
