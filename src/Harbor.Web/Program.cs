using Harbor.Domain.Policy;
using Harbor.Web;
using Harbor.Web.Components;
using Harbor.Web.Data;
using Harbor.Web.Features.Admin;
using Harbor.Web.Features.Approvals;
using Harbor.Web.Features.Audit;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Cooperations;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Demo;
using Harbor.Web.Features.Extensions;
using Harbor.Web.Features.FollowUps;
using Harbor.Web.Features.Groups;
using Harbor.Web.Features.Handover;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Features.Orders;
using Harbor.Web.Features.Pool;
using Harbor.Web.Features.Reports;
using Harbor.Web.Features.Reviews;
using Harbor.Web.Features.Registrations;
using Harbor.Web.Features.Registry;
using Harbor.Web.Features.Users;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Http;
using Harbor.Web.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

// --seed-demo is a flag, not a configuration key: take it out before the command-line provider
// reads the arguments (it would swallow the next one as its value).
var seedDemoFlag = args.Contains("--seed-demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--seed-demo").ToArray());

var harbor = builder.Configuration.GetSection(HarborOptions.Section).Get<HarborOptions>() ?? new HarborOptions();
builder.Services.Configure<HarborOptions>(builder.Configuration.GetSection(HarborOptions.Section));
var policyProblems = harbor.EffectivePolicy.Validate().ToList();
if (policyProblems.Count > 0)
    throw new InvalidOperationException("Harbor:Policy is not valid: " + string.Join(" ", policyProblems));

var clockOptions = builder.Configuration.GetSection("Harbor:Clock").Get<ClockOptions>() ?? new ClockOptions();
if (clockOptions.Adjustable)
{
    builder.Services.AddSingleton(new AdjustableClock(TimeProvider.System));
    builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());
    builder.Services.AddSingleton(new SessionClock(TimeProvider.System));
}
else
{
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(sp => new SessionClock(sp.GetRequiredService<TimeProvider>()));
}

builder.Services.Configure<SweepOptions>(builder.Configuration.GetSection("Harbor:Sweep"));
builder.Services.AddScoped<Sweep>();
builder.Services.AddHostedService<SweepService>();
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<HarborOptions>>().Value.EffectivePolicy);
builder.Services.AddSingleton(sp => new CompanyCalendar(sp.GetRequiredService<PolicySettings>()));
builder.Services.AddHarborDatabase(builder.Configuration, harbor);
builder.Services.AddHarborHttp();
builder.Services.AddHarborRateLimits(builder.Configuration);
builder.Services.AddOpenApi();

builder.Services.AddHarborAuthentication(harbor);
builder.Services.AddAuthorizationBuilder().AddHarborPolicies();
builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
builder.Services.AddHarborUi();
builder.Services.AddHarborNotifications(harbor);

// One class per use case; endpoints and pages call them directly.
builder.Services.AddScoped<Actor>();
builder.Services.AddScoped<CheckCredentials>();
builder.Services.AddScoped<IssueToken>();
builder.Services.AddScoped<CreateGroup>();
builder.Services.AddScoped<RenameGroup>();
builder.Services.AddScoped<ListGroups>();
builder.Services.AddScoped<CreateUser>();
builder.Services.AddScoped<UpdateUser>();
builder.Services.AddScoped<DeactivateUser>();
builder.Services.AddScoped<ListUsers>();
builder.Services.AddScoped<SearchRegistry>();
builder.Services.AddSingleton<RegistryTotals>();
builder.Services.AddSingleton<RegistryOwners>();
builder.Services.AddScoped<RegisterProspect>();
builder.Services.AddScoped<CheckConflicts>();
builder.Services.AddScoped<ReleaseCustomer>();
builder.Services.AddScoped<ReadSheet>();
builder.Services.AddScoped<ReadCustomer>();
builder.Services.AddSingleton<PoolFeed>();
builder.Services.AddScoped<MergeCustomers>();
builder.Services.AddScoped<ListPool>();
builder.Services.AddScoped<ClaimFromPool>();
builder.Services.AddScoped<MyNotifications>();
builder.Services.AddScoped<NotificationsChanged>();
builder.Services.AddScoped<DailyReport>();
builder.Services.AddScoped<ReadHistory>();
builder.Services.AddScoped<SearchAudit>();
builder.Services.AddScoped<HandOver>();
builder.Services.AddScoped<RequestExtension>();
builder.Services.AddScoped<DecideExtension>();
builder.Services.AddScoped<ListExtensions>();
builder.Services.AddScoped<ApprovalsInbox>();
builder.Services.AddScoped<Cooperate>();
builder.Services.AddScoped<CooperationRegister>();
builder.Services.AddScoped<RecordFollowUp>();
builder.Services.AddScoped<SubmitOrder>();
builder.Services.AddScoped<FunnelReport>();
builder.Services.AddScoped<PerformanceReport>();
builder.Services.AddScoped<ReviewQueue>();
builder.Services.AddScoped<ExportWorkbook>();
builder.Services.AddScoped<ExportMySheet>();
builder.Services.AddScoped<ReconcileWorkbook>();
builder.Services.AddScoped<ImportWorkbook>();
builder.Services.AddScoped<ListImports>();
builder.Services.AddScoped<DownloadImportReport>();
builder.Services.AddScoped<SeedDemo>();

var app = builder.Build();

using (var scope = app.Services.CreateScope())
{
    var services = scope.ServiceProvider;
    var db = services.GetRequiredService<HarborDbContext>();
    await DatabaseSetup.MigrateAsync(db, app.Lifetime.ApplicationStopping, services.GetRequiredService<TimeProvider>());
    await Bootstrap.EnsureAdminAsync(db, services.GetRequiredService<IPasswordHasher<User>>(), services.GetRequiredService<TimeProvider>(),
        harbor.Bootstrap.AdminPassword, app.Logger, app.Lifetime.ApplicationStopping);
    if (seedDemoFlag || harbor.SeedDemo)
        await services.GetRequiredService<SeedDemo>().RunAsync(app.Lifetime.ApplicationStopping);
}

app.UseSecurityHeaders();
app.UseExceptionHandler();
// The API (and a failed form post) answers an empty error with problem+json; a person opening a
// page gets a page in their language.
static bool OpensAPage(HttpContext context) =>
    HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api");
app.UseWhen(context => !OpensAPage(context), api => api.UseStatusCodePages());
app.UseWhen(OpensAPage, pages => pages.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
// Routing after the status pages, so that a re-executed request is routed to its page.
app.UseRouting();
app.UseRequestLocalization();
app.UseJsonBodyLimit();
app.UseUnknownApiRoutesAsNotFound();
app.UseAuthentication();
Actor.UseActor(app);
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi();
app.MapGet("/health", async (HarborDbContext db, CancellationToken ct) =>
    await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "ready" }) : Results.StatusCode(StatusCodes.Status503ServiceUnavailable))
    .AllowAnonymous().ExcludeFromDescription();
app.MapAuthEndpoints();
app.MapGroupEndpoints();
app.MapUserEndpoints();
app.MapRegistrationEndpoints();
app.MapCustomerEndpoints();
app.MapPoolEndpoints();
app.MapNotificationEndpoints();
app.MapDeliveryEndpoints();
app.MapReportEndpoints();
app.MapAuditEndpoints();
app.MapHandoverEndpoints();
app.MapExtensionEndpoints();
app.MapCooperationEndpoints();
app.MapSalesEndpoints();
app.MapReviewEndpoints();
app.MapWorkbookEndpoints();
if (clockOptions.Adjustable)
    app.MapSimulationEndpoints();
app.MapRegistryEndpoints();
app.MapHarborUi();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
