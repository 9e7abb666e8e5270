using System.Globalization;
using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Components;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Cooperations;
using Harbor.Web.Features.Extensions;
using Harbor.Web.Features.FollowUps;
using Harbor.Web.Features.Groups;
using Harbor.Web.Features.Orders;
using Harbor.Web.Features.Registrations;
using Harbor.Web.Features.Reports;
using Harbor.Web.Features.Users;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>
/// bUnit with what Harbor's components need: MudBlazor, the resources in Chinese, a live
/// (interactive) renderer, and the real use cases over an in-memory SQLite registry.
/// </summary>
public sealed class ComponentContext : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    /// <param name="configure">More services for the component under test, added before the provider is built.</param>
    public ComponentContext(Action<IServiceCollection>? configure = null)
    {
        // CI runs the whole suite at once on two cores: bUnit's one-second wait is too short there.
        // A wait whose condition holds returns at once, so only a failing wait takes longer.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        _connection.Open();
        var services = Bunit.Services;
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // The debounce and MudBlazor's timers run on this clock; tests move it by hand.
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Policy);
        services.AddSingleton(new CompanyCalendar(Policy));
        services.AddDbContext<HarborDbContext, SqliteHarborDbContext>(o => o.UseSqlite(_connection));
        services.AddSingleton<WriteGate>();
        services.AddSingleton<UseCases>();
        services.AddScoped<Http.Actor>();
        services.AddSingleton<AuthenticationStateProvider, SignedOut>();
        services.AddScoped<CheckConflicts>();
        services.AddScoped<RegisterProspect>();
        // The customer page and the reports (pages-b).
        services.AddScoped<ReadCustomer>();
        services.AddScoped<ReadHistory>();
        services.AddScoped<RecordFollowUp>();
        services.AddScoped<SubmitOrder>();
        services.AddScoped<RequestExtension>();
        services.AddScoped<Cooperate>();
        services.AddScoped<ListUsers>();
        services.AddScoped<ListGroups>();
        services.AddScoped<FunnelReport>();
        services.AddScoped<PerformanceReport>();
        services.AddScoped<Features.Workbook.ReconcileWorkbook>();
        services.AddScoped<Features.Workbook.ImportWorkbook>();
        services.AddScoped<Features.Workbook.ListImports>();
        services.AddScoped<Features.Reviews.ReviewQueue>();
        services.AddScoped<MergeCustomers>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        configure?.Invoke(services);
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        // A live page, as on Blazor Server: components enable their actions only when interactive.
        Bunit.SetRendererInfo(new RendererInfo("Server", true));
        using var scope = Bunit.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<HarborDbContext>().Database.Migrate();
    }

    public BunitContext Bunit { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Infrastructure.HarborApp.Start);

    public PolicySettings Policy { get; } = new();

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent =>
        Bunit.Render(parameters);

    /// <summary>A salesperson in a group, as the admin would create them.</summary>
    public Task<Viewer> SalespersonAsync(string displayName, string groupName) => PersonAsync(Role.Salesperson, displayName, groupName);

    /// <summary>Someone of any role; the clerk and the director belong to no group.</summary>
    public async Task<Viewer> PersonAsync(Role role, string displayName, string? groupName)
    {
        using var scope = Bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var now = Clock.GetUtcNow();
        var group = groupName is null ? null : await db.Groups.FirstOrDefaultAsync(g => g.Name == groupName)
            ?? db.Groups.Add(new Group { Id = Guid.NewGuid(), Name = groupName, CreatedAt = now }).Entity;
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = "u" + Guid.NewGuid().ToString("N")[..8],
            UsernameKey = "",
            DisplayName = displayName,
            Role = role,
            GroupId = group?.Id,
            PasswordHash = "",
            CreatedAt = now,
        };
        user.UsernameKey = user.Username;
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.AsViewer();
    }

    /// <summary>What a page's cascading parameter carries for a signed-in person.</summary>
    public static Task<AuthenticationState> SignedIn(Viewer viewer) =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            Features.Auth.Viewers.ClaimsOf(viewer.Id, viewer.Id.ToString("N"), viewer.Role, viewer.GroupId), "test"))));

    /// <summary>Runs a use case in a scope of its own, as a page would.</summary>
    public async Task<T> RunAsync<TUseCase, T>(Func<TUseCase, Task<T>> call) where TUseCase : notnull
    {
        using var scope = Bunit.Services.CreateScope();
        return await call(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }

    /// <summary>The signed-in person a page sees, as the cookie carries them.</summary>
    public static Task<AuthenticationState> SignedIn(User user) => Task.FromResult(new AuthenticationState(Features.Auth.AuthSetup.PrincipalOf(user)));

    /// <summary>An administrator account (imports record who ran them).</summary>
    public async Task<User> AdminAsync()
    {
        using var scope = Bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = "admin2",
            UsernameKey = "admin2",
            DisplayName = "管理员",
            Role = Role.Admin,
            PasswordHash = "",
            CreatedAt = Clock.GetUtcNow(),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>Registers a prospect; the customer's id, or the registration's when it waits for review.</summary>
    public async Task<Guid> RegisterAsync(Viewer salesperson, string name, string? phone = null)
    {
        using var scope = Bunit.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegisterProspect>().HandleAsync(salesperson,
            new RegistrationRequest(new CustomerInput(name, phone, null, null, null, null), null, null), CancellationToken.None);
        Assert.True(result.Succeeded, result.Refusal?.Code);
        return result.Value.Registered?.CustomerId ?? result.Value.Pending!.RegistrationId;
    }

    /// <summary>Components under test run as nobody in particular; the use cases record no actor.</summary>
    private sealed class SignedOut : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await _connection.DisposeAsync();
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
