using System.Globalization;
using System.Security.Claims;
using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Components;
using Harbor.Web.Data;
using Harbor.Web.Features.Approvals;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Cooperations;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Extensions;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Features.Pool;
using Harbor.Web.Features.Registrations;
using Harbor.Web.Features.Reports;
using Harbor.Web.Jobs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>
/// bUnit for whole pages: what <see cref="ComponentContext"/> gives (MudBlazor, Chinese, a live
/// renderer, the real use cases over in-memory SQLite) plus a signed-in person of any role, and
/// the use cases of the pool, notifications, reports, approvals and cooperations.
/// </summary>
public sealed class PageContext : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly SignedIn _signedIn = new();

    public PageContext(PolicySettings? policy = null)
    {
        // CI runs the whole suite at once on two cores: bUnit's one-second wait is too short there.
        // A wait whose condition holds returns at once, so only a failing wait takes longer.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Policy = policy ?? new PolicySettings();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        _connection.Open();
        var services = Bunit.Services;
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Policy);
        services.AddSingleton(new CompanyCalendar(Policy));
        services.AddDbContext<HarborDbContext, SqliteHarborDbContext>(o => o.UseSqlite(_connection));
        services.AddSingleton<WriteGate>();
        services.AddSingleton<UseCases>();
        services.AddSingleton<PoolFeed>();
        services.AddScoped<NotificationsChanged>();
        services.AddScoped<Http.Actor>();
        services.AddSingleton<AuthenticationStateProvider>(_signedIn);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddScoped<RegisterProspect>();
        services.AddScoped<CheckConflicts>();
        services.AddScoped<Features.Users.ListUsers>();
        // The register page keeps its draft in the tab's session storage, encrypted as the host does it.
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddScoped<ProtectedSessionStorage>();
        services.AddScoped<ReleaseCustomer>();
        services.AddScoped<ReadSheet>();
        services.AddScoped<ListPool>();
        services.AddScoped<ClaimFromPool>();
        services.AddScoped<Sweep>();
        services.AddScoped<MyNotifications>();
        services.AddScoped<DailyReport>();
        services.AddScoped<ApprovalsInbox>();
        services.AddScoped<RequestExtension>();
        services.AddScoped<DecideExtension>();
        services.AddScoped<ListExtensions>();
        services.AddScoped<Cooperate>();
        services.AddScoped<CooperationRegister>();
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.SetRendererInfo(new RendererInfo("Server", true));
        using var scope = Bunit.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<HarborDbContext>().Database.Migrate();
    }

    public BunitContext Bunit { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Infrastructure.HarborApp.Start);

    public PolicySettings Policy { get; }

    /// <summary>Renders a page as <paramref name="viewer"/>, with the snackbar provider beside it.</summary>
    public IRenderedComponent<T> RenderAs<T>(Viewer viewer, Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        _signedIn.Principal = Principal(viewer);
        Snackbars ??= Bunit.Render<MudSnackbarProvider>();
        var state = Task.FromResult(new AuthenticationState(_signedIn.Principal));
        return Bunit.Render<T>(p =>
        {
            p.AddCascadingValue(state);
            parameters?.Invoke(p);
        });
    }

    /// <summary>What the snackbar said (rendered once a page is).</summary>
    public IRenderedComponent<MudSnackbarProvider>? Snackbars { get; private set; }

    public async Task<Viewer> PersonAsync(Role role, string displayName, string? groupName = null)
    {
        await using var scope = Bunit.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var now = Clock.GetUtcNow();
        Group? group = null;
        if (groupName is not null)
            group = await db.Groups.FirstOrDefaultAsync(g => g.Name == groupName)
                ?? db.Groups.Add(new Group { Id = Guid.NewGuid(), Name = groupName, CreatedAt = now }).Entity;
        var username = "u" + Guid.NewGuid().ToString("N")[..8];
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = username,
            UsernameKey = username,
            DisplayName = displayName,
            Role = role,
            GroupId = group?.Id,
            PasswordHash = "",
            CreatedAt = now,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.AsViewer();
    }

    public Task<T> RunAsync<TUseCase, T>(Func<TUseCase, Task<T>> call) where TUseCase : notnull =>
        InScopeAsync(services => call(services.GetRequiredService<TUseCase>()));

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Bunit.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<Guid> RegisterAsync(Viewer salesperson, string name, string? phone = null, string? contact = null)
    {
        var result = await RunAsync<RegisterProspect, Result<RegistrationOutcome>>(r => r.HandleAsync(salesperson,
            new RegistrationRequest(new CustomerInput(name, phone, null, contact, null, null), null, null), CancellationToken.None));
        Assert.True(result.Succeeded, result.Refusal?.Code);
        return result.Value.Registered!.CustomerId;
    }

    /// <summary>Registered, given up before 10:00 and published at 10:00 by the sweep.</summary>
    public async Task<Guid> PublishedAsync(Viewer salesperson, string name, string? phone = null)
    {
        var id = await RegisterAsync(salesperson, name, phone, "王小明");
        var released = await RunAsync<ReleaseCustomer, Result<ReleaseResponse>>(r => r.HandleAsync(salesperson, id, new ReleaseRequest("no need"), CancellationToken.None));
        Assert.True(released.Succeeded, released.Refusal?.Code);
        return id;
    }

    public Task<SweepResult> SweepAsync() => RunAsync<Sweep, SweepResult>(s => s.RunAsync(CancellationToken.None));

    private static ClaimsPrincipal Principal(Viewer viewer) =>
        new(new ClaimsIdentity(Viewers.ClaimsOf(viewer.Id, "user", viewer.Role, viewer.GroupId), "test"));

    private sealed class SignedIn : AuthenticationStateProvider
    {
        public ClaimsPrincipal Principal { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(Principal));
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await _connection.DisposeAsync();
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
