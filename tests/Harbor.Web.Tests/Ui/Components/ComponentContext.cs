using System.Globalization;
using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Components;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Registrations;
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
    public async Task<Viewer> SalespersonAsync(string displayName, string groupName)
    {
        using var scope = Bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var now = Clock.GetUtcNow();
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Name == groupName)
            ?? db.Groups.Add(new Group { Id = Guid.NewGuid(), Name = groupName, CreatedAt = now }).Entity;
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = "u" + Guid.NewGuid().ToString("N")[..8],
            UsernameKey = "",
            DisplayName = displayName,
            Role = Role.Salesperson,
            GroupId = group.Id,
            PasswordHash = "",
            CreatedAt = now,
        };
        user.UsernameKey = user.Username;
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.AsViewer();
    }

    public async Task RegisterAsync(Viewer salesperson, string name, string? phone = null)
    {
        using var scope = Bunit.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegisterProspect>().HandleAsync(salesperson,
            new RegistrationRequest(new CustomerInput(name, phone, null, null, null, null), null, null), CancellationToken.None);
        Assert.True(result.Succeeded, result.Refusal?.Code);
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
