using System.Net;
using System.Net.Http.Json;
using System.Text;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Tests.Infrastructure;
using Harbor.Web.Tests.Workbook;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Access;

/// <summary>
/// Every API route × every kind of caller, against a customer of their own, of their group, of
/// another group and of the pool. A route missing here fails the test, and so does any leak of a
/// contact in a refused (or masked) answer. The same rules render docs/access.md.
/// </summary>
public sealed class AccessMatrixTests
{
    public enum Who
    {
        Anonymous,
        Owner,
        SameGroup,
        OtherGroup,
        GroupManager,
        OtherManager,
        Director,
        Clerk,
        Admin,
    }

    private static readonly Who[] Everyone = Enum.GetValues<Who>();
    private static readonly Who[] SignedIn = [.. Everyone.Where(w => w != Who.Anonymous)];
    private static readonly Who[] Salespeople = [Who.Owner, Who.SameGroup, Who.OtherGroup];
    private static readonly Who[] ReadersOfOwn = [Who.Owner, Who.GroupManager, Who.Director, Who.Clerk];

    public sealed record Rule(string Method, string Route, string Target, Who[] Allowed, Func<World, Who, Task<HttpRequestMessage>> Build, string Note = "");

    public static readonly Rule[] Rules =
    [
        new("POST", "/api/auth/token", "-", Everyone, (w, _) => Json(HttpMethod.Post, "/api/auth/token", new { username = "admin", password = HarborApp.AdminPassword }), "sign-in itself"),
        new("GET", "/api/users/me", "-", SignedIn, (w, _) => Get("/api/users/me")),
        new("GET", "/api/groups", "-", SignedIn, (w, _) => Get("/api/groups")),
        new("POST", "/api/groups", "-", [Who.Admin], (w, _) => Json(HttpMethod.Post, "/api/groups", new { name = w.App.UniqueName("组") })),
        new("GET", "/api/users", "-", [Who.GroupManager, Who.OtherManager, Who.Director, Who.Clerk, Who.Admin], (w, _) => Get("/api/users")),
        new("POST", "/api/users", "-", [Who.Admin], (w, _) => Json(HttpMethod.Post, "/api/users",
            new { username = w.App.UniqueName("u"), password = HarborApp.Password, displayName = "新人", role = "clerk" })),
        new("PUT", "/api/users/{id:guid}", "another account", [Who.Admin], async (w, _) =>
            await Json(HttpMethod.Put, $"/api/users/{(await w.App.SeedPeopleAsync(Role.Clerk, 1, null))[0].Id}", new { displayName = "改名", role = "clerk" })),
        new("PUT", "/api/groups/{id:guid}", "a group", [Who.Admin], async (w, _) =>
            await Json(HttpMethod.Put, $"/api/groups/{await w.App.CreateGroupAsync()}", new { name = w.App.UniqueName("改名组") })),
        new("GET", "/api/registry", "-", [Who.GroupManager, Who.OtherManager, Who.Director, Who.Clerk], (w, _) => Get("/api/registry"),
            "the master list; managers their group's"),
        new("POST", "/api/users/{id:guid}/deactivate", "another account", [Who.Admin], async (w, _) =>
            await Post($"/api/users/{(await w.App.SeedPeopleAsync(Role.Clerk, 1, null))[0].Id}/deactivate")),
        new("POST", "/api/registrations", "new prospect", [.. Salespeople, Who.Clerk], (w, who) => Json(HttpMethod.Post, "/api/registrations", new
        {
            customer = new { name = w.App.UniqueName("矩阵新客户") },
            salespersonId = Salespeople.Contains(who) ? (Guid?)null : w.Ids[Who.Owner],
        }), "for themselves; the clerk on anyone's behalf"),
        new("POST", "/api/customers/check", "own customer's name", SignedIn, (w, _) => Json(HttpMethod.Post, "/api/customers/check", new { name = w.OwnName }),
            "holder, group and due date only, never contacts"),
        new("GET", "/api/customers/{id:guid}", "own customer", ReadersOfOwn, (w, _) => Get($"/api/customers/{w.Own}")),
        new("GET", "/api/customers/{id:guid}", "pool customer", [Who.Director, Who.Clerk], (w, _) => Get($"/api/customers/{w.Pool}"),
            "salespeople see the pool's masked list instead"),
        new("GET", "/api/customers/{id:guid}/history", "own customer", ReadersOfOwn, (w, _) => Get($"/api/customers/{w.Own}/history")),
        new("POST", "/api/customers/{id:guid}/release", "own customer", [Who.Owner, Who.Clerk], async (w, _) => await Post($"/api/customers/{await w.FreshOwnAsync()}/release")),
        new("GET", "/api/me/customers", "-", Salespeople, (w, _) => Get("/api/me/customers")),
        new("GET", "/api/salespeople/{id:guid}/customers", "owner's sheet", ReadersOfOwn, (w, _) => Get($"/api/salespeople/{w.Ids[Who.Owner]}/customers")),
        new("GET", "/api/pool", "-", SignedIn, (w, _) => Get("/api/pool"), "contacts masked for everyone"),
        new("POST", "/api/pool/{customerId:guid}/claim", "pool customer", Salespeople, async (w, _) => await Post($"/api/pool/{await w.FreshPoolAsync()}/claim")),
        new("GET", "/api/me/notifications", "-", SignedIn, (w, _) => Get("/api/me/notifications"), "their own only"),
        new("POST", "/api/me/notifications/{id:guid}/read", "owner's notification", [Who.Owner], async (w, _) => await Post($"/api/me/notifications/{await w.NotificationOfOwnerAsync()}/read")),
        new("POST", "/api/me/notifications/read-all", "-", SignedIn, (w, _) => Post("/api/me/notifications/read-all"), "their own only"),
        new("GET", "/api/reports/daily", "-", [Who.GroupManager, Who.OtherManager, Who.Director, Who.Clerk], (w, _) => Get("/api/reports/daily?date=2026-12-01"),
            "managers: their group's salespeople"),
        new("GET", "/api/audit", "-", [Who.Director, Who.Clerk, Who.Admin], (w, _) => Get("/api/audit")),
        new("GET", "/api/handover", "-", [Who.Director, Who.Clerk], (w, _) => Get("/api/handover")),
        new("POST", "/api/handover/{customerId:guid}/reassign", "leaver's customer", [Who.Clerk], async (w, _) =>
            await Json(HttpMethod.Post, $"/api/handover/{await w.FreshLeaversAsync()}/reassign", new { salespersonId = w.Ids[Who.SameGroup] })),
        new("POST", "/api/customers/{id:guid}/merge", "own customer into another", [Who.Clerk], async (w, _) =>
            await Json(HttpMethod.Post, $"/api/customers/{await w.FreshOwnAsync()}/merge", new { intoCustomerId = await w.FreshOwnAsync(), reason = "同一家公司" }),
            "the keeper of the registry; never moves a protection"),
        new("POST", "/api/handover/{customerId:guid}/release", "leaver's customer", [Who.Clerk], async (w, _) => await Post($"/api/handover/{await w.FreshLeaversAsync()}/release")),
        new("POST", "/api/extensions", "own customer", [Who.Owner], async (w, _) =>
            await Json(HttpMethod.Post, "/api/extensions", new { customerId = await w.FreshOwnAsync(), days = 3, reason = "客户出差" })),
        new("GET", "/api/extensions", "-", [.. SignedIn.Where(x => x != Who.Admin)], (w, _) => Get("/api/extensions"),
            "salespeople their own, managers their group's"),
        new("POST", "/api/extensions/{id:guid}/approve", "owner's 3-day request", [Who.GroupManager, Who.Director], async (w, _) =>
            await Post($"/api/extensions/{await w.FreshExtensionAsync()}/approve"), "more than 5 days: directors only"),
        new("POST", "/api/extensions/{id:guid}/reject", "owner's 3-day request", [Who.GroupManager, Who.Director], async (w, _) =>
            await Post($"/api/extensions/{await w.FreshExtensionAsync()}/reject")),
        new("GET", "/api/cooperations", "-", [.. SignedIn.Where(x => x != Who.Admin)], (w, _) => Get("/api/cooperations"),
            "salespeople their own, managers their group's"),
        new("POST", "/api/cooperations", "own customer", [Who.Owner], async (w, _) =>
            await Json(HttpMethod.Post, "/api/cooperations", new { customerId = await w.FreshOwnAsync(), partnerId = w.Ids[Who.OtherGroup], sharePercent = 20 })),
        new("POST", "/api/cooperations/{id:guid}/approve", "owner's proposal", [Who.GroupManager, Who.Director], async (w, _) =>
            await Post($"/api/cooperations/{await w.FreshCooperationAsync()}/approve")),
        new("POST", "/api/cooperations/{id:guid}/reject", "owner's proposal", [Who.GroupManager, Who.Director], async (w, _) =>
            await Post($"/api/cooperations/{await w.FreshCooperationAsync()}/reject")),
        new("POST", "/api/cooperations/{id:guid}/end", "owner's proposal", [Who.Owner, Who.GroupManager, Who.Director], async (w, _) =>
            await Post($"/api/cooperations/{await w.FreshCooperationAsync()}/end")),
        new("POST", "/api/customers/{id:guid}/followups", "own customer", [Who.Owner], (w, _) =>
            Json(HttpMethod.Post, $"/api/customers/{w.Own}/followups", new { stage = "phone-call", note = "矩阵" }), "and approved cooperators"),
        new("POST", "/api/orders", "own customer", [.. Salespeople, Who.Clerk], async (w, who) => await Json(HttpMethod.Post, "/api/orders", new
        {
            customerId = await w.FreshOwnAsync(),
            amount = 1000m,
            salespersonId = Salespeople.Contains(who) ? (Guid?)null : w.Ids[Who.Owner],
        }), "anyone but the owner (or a cooperator) is recorded with no credit"),
        new("GET", "/api/reports/funnel", "-", [.. SignedIn.Where(x => x != Who.Admin)], (w, _) => Get("/api/reports/funnel"),
            "salespeople themselves, managers their group"),
        new("GET", "/api/reports/performance", "-", [.. SignedIn.Where(x => x != Who.Admin)], (w, _) => Get("/api/reports/performance"),
            "salespeople themselves, managers their group"),
        new("GET", "/api/reviews", "-", [Who.Director, Who.Clerk], (w, _) => Get("/api/reviews")),
        new("POST", "/api/reviews/{id:guid}/approve", "likely duplicate", [Who.Clerk], async (w, _) => await Post($"/api/reviews/{await w.FreshReviewAsync()}/approve")),
        new("POST", "/api/reviews/{id:guid}/reject", "likely duplicate", [Who.Clerk], async (w, _) =>
            await Json(HttpMethod.Post, $"/api/reviews/{await w.FreshReviewAsync()}/reject", new { duplicateOfId = w.Own })),
        new("GET", "/api/workbook", "-", [Who.Clerk], (w, _) => Get("/api/workbook"), "who may export is a setting (Harbor:Workbook:ExportRoles); contacts masked for whoever may not read them"),
        new("GET", "/api/me/sheet", "-", Salespeople, (w, _) => Get("/api/me/sheet"), "their own sheet only"),
        new("POST", "/api/workbook/reconcile", "owner's sheet", [Who.Clerk], (w, _) =>
            Upload("/api/workbook/reconcile", Xlsx.Build(new SheetSpec(w.OwnerName, [["客户"], [w.OwnName]]))), "nothing is written"),
        new("POST", "/api/workbook/import", "owner's sheet", [Who.Admin], (w, _) =>
            Upload("/api/workbook/import?dryRun=true", Xlsx.Build(new SheetSpec(w.OwnerName, [["客户"], [w.App.UniqueName("导入矩阵")]]))), "a dry run here"),
        new("GET", "/api/workbook/imports", "-", [Who.Admin], (w, _) => Get("/api/workbook/imports"), "the imports run so far, newest first"),
        new("GET", "/api/workbook/imports/{id:guid}/report", "a kept import report", [Who.Admin], async (w, _) =>
            await Get($"/api/workbook/imports/{await KeptImportAsync(w)}/report"), "the report as a workbook"),
        new("GET", "/api/admin/clock", "-", [Who.Admin], (w, _) => Get("/api/admin/clock"), "only with Harbor:Clock:Adjustable"),
        new("PUT", "/api/admin/clock", "-", [Who.Admin], (w, _) => Json(HttpMethod.Put, "/api/admin/clock", new { now = w.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(1) }),
            "only with Harbor:Clock:Adjustable"),
        new("POST", "/api/admin/sweep", "-", [Who.Admin], (w, _) => Post("/api/admin/sweep"), "only with Harbor:Clock:Adjustable"),
        new("PUT", "/api/groups/{id:guid}/bot", "a group", [Who.Admin], async (w, _) =>
            await Json(HttpMethod.Put, $"/api/groups/{await w.App.CreateGroupAsync()}/bot", new { kind = "wecom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix" }),
            "the URL and secret are stored encrypted and never answered"),
        new("DELETE", "/api/groups/{id:guid}/bot", "a group's bot", [Who.Admin], async (w, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/groups/{await Notifications.MatrixFixtures.GroupWithBotAsync(w.App)}/bot")),
        new("POST", "/api/groups/{id:guid}/bot/test", "a group's bot", [Who.Admin], async (w, _) =>
            await Post($"/api/groups/{await Notifications.MatrixFixtures.GroupWithBotAsync(w.App)}/bot/test"), "answers with the provider's answer"),
        new("GET", "/api/me/notification-settings", "-", SignedIn, (w, _) => Get("/api/me/notification-settings"), "their own only"),
        new("PUT", "/api/me/notification-settings", "-", SignedIn, (w, _) =>
            Json(HttpMethod.Put, "/api/me/notification-settings", new { culture = "zh-CN", mutedKinds = new[] { "due-tomorrow" } }), "their own only"),
        new("GET", "/api/admin/notifications", "-", [Who.Admin], (w, _) => Get("/api/admin/notifications"), "SMTP status without the password, bots without keys, failures"),
        new("POST", "/api/admin/notifications/{messageId:guid}/retry", "a failed message", [Who.Admin], async (w, _) =>
            await Post($"/api/admin/notifications/{await Notifications.MatrixFixtures.FailedMessageAsync(w.App)}/retry")),
    ];

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EveryRouteEveryCaller_AllowedOrRefusedWithoutLeak(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Harbor:Clock:Adjustable"] = "true",
            // Every row makes fresh customers and requests for the owner, for every caller.
            ["Harbor:Policy:SlotLimit"] = "500",
            ["Harbor:Policy:ExtensionsPerMonth"] = "500",
        });
        var world = await World.CreateAsync(app);
        var failures = new List<string>();

        foreach (var rule in Rules)
        {
            foreach (var who in Everyone)
            {
                using var request = await rule.Build(world, who);
                var response = await world.Client(who).SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var label = $"{rule.Method} {rule.Route} [{rule.Target}] as {who}: {status}";
                if (rule.Allowed.Contains(who))
                {
                    if (status is < 200 or > 299)
                        failures.Add($"{label}, expected success. {Trim(body)}");
                }
                else if (who == Who.Anonymous ? status != 401 : status is not (403 or 404))
                {
                    failures.Add($"{label}, expected {(who == Who.Anonymous ? "401" : "403 or 404")}. {Trim(body)}");
                }

                foreach (var secret in world.SecretsHiddenFrom(who))
                    if (body.Contains(secret, StringComparison.Ordinal))
                        failures.Add($"{label} leaks '{secret}'.");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task EveryApiRoute_IsInTheMatrix()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:Clock:Adjustable"] = "true" });
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("{**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct().Order().ToList();
        var covered = Rules.Select(r => $"{r.Method} {r.Route}").ToHashSet();

        Assert.Equal([], routes.Where(r => !covered.Contains(r)).ToList());
        Assert.Equal([], covered.Where(c => !routes.Contains(c)).ToList());
    }

    /// <summary>docs/access.md is this matrix; regenerate with HARBOR_WRITE_DOCS=1 dotnet test.</summary>
    [Fact]
    public void AccessDoc_MatchesTheMatrix()
    {
        var path = Path.Combine(RepoRoot(), "docs", "access.md");
        var expected = RenderDoc();
        if (Environment.GetEnvironmentVariable("HARBOR_WRITE_DOCS") == "1")
            File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), "docs/access.md is missing: run HARBOR_WRITE_DOCS=1 dotnet test.");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    private static string RenderDoc()
    {
        var doc = new StringBuilder();
        doc.AppendLine("# Who may do what");
        doc.AppendLine();
        doc.AppendLine("Generated from `tests/Harbor.Web.Tests/Access/AccessMatrixTests.cs`, which runs every row against");
        doc.AppendLine("the real API on SQLite and PostgreSQL: a route that is not in the table fails the tests, a refusal");
        doc.AppendLine("is 401 (anonymous) or 403/404, and no refused or masked answer may contain a contact. Regenerate");
        doc.AppendLine("with `HARBOR_WRITE_DOCS=1 dotnet test --project tests/Harbor.Web.Tests --filter-class \"*AccessMatrixTests\"`.");
        doc.AppendLine();
        doc.AppendLine("Callers: *owner* holds the customer; *same group* and *other group* are salespeople relative to");
        doc.AppendLine("the owner's group; *group manager* manages the owner's group, *other manager* another group.");
        doc.AppendLine();
        doc.AppendLine("| route | target | " + string.Join(" | ", Everyone.Select(Column)) + " | note |");
        doc.AppendLine("|---|---|" + string.Concat(Everyone.Select(_ => ":-:|")) + "---|");
        foreach (var rule in Rules)
            doc.AppendLine($"| `{rule.Method} {rule.Route}` | {rule.Target} | " + string.Join(" | ", Everyone.Select(w => rule.Allowed.Contains(w) ? "✓" : "·")) + $" | {rule.Note} |");
        return doc.ToString();
    }

    private static string Column(Who who) => who switch
    {
        Who.Anonymous => "anonymous",
        Who.Owner => "owner",
        Who.SameGroup => "same group",
        Who.OtherGroup => "other group",
        Who.GroupManager => "group manager",
        Who.OtherManager => "other manager",
        Who.Director => "director",
        Who.Clerk => "clerk",
        Who.Admin => "admin",
    };

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harbor.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Harbor.slnx not found above the test binaries.");
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] : body;

    /// <summary>A kept import report, as a dry run leaves one.</summary>
    private static Task<Guid> KeptImportAsync(World w) => w.App.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        var record = new ImportRecord
        {
            Id = Guid.NewGuid(),
            At = w.App.Clock.GetUtcNow(),
            Result = "dry-run",
            Report = Harbor.Web.Features.Workbook.ImportReports.Compress(new Harbor.Web.Features.Workbook.ImportReport("dry-run", 0, 0, [], [], [])),
        };
        db.ImportRecords.Add(record);
        await db.SaveChangesAsync();
        return record.Id;
    });

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    private static Task<HttpRequestMessage> Post(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, url));

    private static Task<HttpRequestMessage> Upload(string url, byte[] file) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, url) { Content = Xlsx.Upload(file) });

    private static Task<HttpRequestMessage> Json(HttpMethod method, string url, object body) =>
        Task.FromResult(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });

    /// <summary>The cast: an owner with a customer, colleagues, managers, a director, the clerk, the admin, and a pool customer.</summary>
    public sealed class World
    {
        private readonly Dictionary<Who, HttpClient> _clients = [];
        private readonly Dictionary<Who, Guid> _ids = [];
        private readonly List<(string Secret, Who[] Readers)> _secrets = [];

        private World(HarborApp app) => App = app;

        public HarborApp App { get; }
        public IReadOnlyDictionary<Who, Guid> Ids => _ids;
        public Guid Own { get; private set; }
        public string OwnName { get; private set; } = "";
        public string OwnerName { get; private set; } = "";
        public Guid Pool { get; private set; }
        private Guid Group { get; set; }

        public HttpClient Client(Who who) => _clients[who];

        public static async Task<World> CreateAsync(HarborApp app)
        {
            var world = new World(app);
            world.Group = await app.CreateGroupAsync();
            var otherGroup = await app.CreateGroupAsync();
            async Task Add(Who who, Role role, Guid? group)
            {
                var person = (await app.SeedPeopleAsync(role, 1, group))[0];
                world._clients[who] = person.Client;
                world._ids[who] = person.Id;
            }

            await Add(Who.Owner, Role.Salesperson, world.Group);
            world.OwnerName = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Users
                .Where(u => u.Id == world._ids[Who.Owner]).Select(u => u.DisplayName).SingleAsync());
            await Add(Who.SameGroup, Role.Salesperson, world.Group);
            await Add(Who.OtherGroup, Role.Salesperson, otherGroup);
            await Add(Who.GroupManager, Role.Manager, world.Group);
            await Add(Who.OtherManager, Role.Manager, otherGroup);
            await Add(Who.Director, Role.Director, null);
            await Add(Who.Clerk, Role.Clerk, null);
            world._clients[Who.Admin] = await app.AdminAsync();
            world._clients[Who.Anonymous] = app.CreateClient();

            world.OwnName = app.UniqueName("矩阵公司");
            world.Own = await world.RegisterAsync(Who.Owner, world.OwnName, ReadersOfOwn);
            world.Pool = await world.FreshPoolAsync();
            return world;
        }

        /// <summary>Contacts of customers this caller may not read.</summary>
        public IEnumerable<string> SecretsHiddenFrom(Who who) => _secrets.Where(s => !s.Readers.Contains(who)).Select(s => s.Secret);

        public Task<Guid> FreshOwnAsync() => RegisterAsync(Who.Owner, App.UniqueName("可放弃"), ReadersOfOwn);

        /// <summary>A customer given up by a donor and published, as the sweep would at its time.</summary>
        public async Task<Guid> FreshPoolAsync()
        {
            var donor = (await App.SalespeopleAsync(1, Group))[0];
            var id = await RegisterWithClientAsync(donor.Client, App.UniqueName("公海矩阵"), [Who.Director, Who.Clerk]);
            (await donor.Client.PostAsync($"/api/customers/{id}/release", null)).EnsureSuccessStatusCode();
            await App.InScopeAsync(async services =>
            {
                var db = services.GetRequiredService<HarborDbContext>();
                var customer = await db.Customers.FirstAsync(c => c.Id == id);
                Assert.True(customer.PublishIfDue(customer.PublishAt!.Value));
                await db.SaveChangesAsync();
                return true;
            });
            return id;
        }

        /// <summary>A customer of a salesperson who has just been deactivated.</summary>
        public async Task<Guid> FreshLeaversAsync()
        {
            var leaver = (await App.SalespeopleAsync(1, Group))[0];
            var id = await RegisterWithClientAsync(leaver.Client, App.UniqueName("离职客户"), [Who.Director, Who.Clerk]);
            (await Client(Who.Admin).PostAsync($"/api/users/{leaver.Id}/deactivate", null)).EnsureSuccessStatusCode();
            return id;
        }

        public async Task<Guid> FreshExtensionAsync()
        {
            var response = await Client(Who.Owner).PostAsJsonAsync("/api/extensions", new { customerId = await FreshOwnAsync(), days = 3, reason = "客户出差" });
            return (await response.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        public async Task<Guid> FreshCooperationAsync()
        {
            var response = await Client(Who.Owner).PostAsJsonAsync("/api/cooperations",
                new { customerId = await FreshOwnAsync(), partnerId = Ids[Who.OtherGroup], sharePercent = 20 });
            return (await response.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        /// <summary>A registration by the owner that looks like one already registered, waiting for the clerk.</summary>
        public async Task<Guid> FreshReviewAsync()
        {
            var brand = "矩阵审核" + App.UniqueName("");
            await RegisterAsync(Who.SameGroup, $"{brand}科技有限公司", [Who.SameGroup, Who.GroupManager, Who.Director, Who.Clerk]);
            var response = await Client(Who.Owner).PostAsJsonAsync("/api/registrations", new { customer = new { name = $"{brand}网络科技有限公司" } });
            return (await response.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("registrationId").GetGuid();
        }

        public Task<Guid> NotificationOfOwnerAsync() => App.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var notification = Notify.Create(Ids[Who.Owner], NotificationKinds.DueTomorrow, new { customerId = Own }, App.Clock.GetUtcNow());
            db.Notifications.Add(notification);
            await db.SaveChangesAsync();
            return notification.Id;
        });

        private Task<Guid> RegisterAsync(Who owner, string name, Who[] readers) => RegisterWithClientAsync(Client(owner), name, readers);

        private async Task<Guid> RegisterWithClientAsync(HttpClient client, string name, Who[] readers)
        {
            var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
            var contact = "联系人" + App.UniqueName("");
            var response = await client.PostAsJsonAsync("/api/registrations", new { customer = new { name, phone, contactName = contact, address = contact + "路" } });
            var body = await response.AssertStatusAsync(HttpStatusCode.Created);
            _secrets.Add((phone, readers));
            _secrets.Add((contact, readers));
            return body.GetProperty("customerId").GetGuid();
        }
    }
}
