using Harbor.Domain.Access;
using MudBlazor;

namespace Harbor.Web.Components.Layout;

public sealed record NavItem(string Href, string TextKey, string Icon, bool Primary);

/// <summary>
/// What each role can open. Pages enforce their own roles on the server; this only decides what
/// is shown, so that nobody is offered a page they cannot use.
/// </summary>
public static class NavItems
{
    public static IReadOnlyList<NavItem> For(Role role) => role switch
    {
        Role.Salesperson =>
        [
            new("/my-customers", "Nav_MyCustomers", Icons.Material.Filled.People, true),
            new("/pool", "Nav_Pool", Icons.Material.Filled.Waves, true),
            new("/register", "Nav_Register", Icons.Material.Filled.AddBusiness, true),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, true),
            new("/cooperations", "Nav_Cooperations", Icons.Material.Filled.Handshake, false),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Clerk =>
        [
            new("/registry", "Nav_Registry", Icons.Material.Filled.TableChart, true),
            new("/register", "Nav_RegisterOnBehalf", Icons.Material.Filled.AddBusiness, true),
            new("/reviews", "Nav_Reviews", Icons.Material.Filled.FactCheck, true),
            new("/reports/daily", "Nav_DailyReport", Icons.Material.Filled.Today, true),
            // In the drawer only: the phone's bottom bar keeps the clerk's daily work.
            new("/workbook", "Nav_Workbook", Icons.Material.Filled.GridOn, false),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, false),
            new("/cooperations", "Nav_Cooperations", Icons.Material.Filled.Handshake, false),
            new("/reports/performance", "Nav_Performance", Icons.Material.Filled.Paid, false),
            new("/reports/funnel", "Nav_Funnel", Icons.Material.Filled.FilterAlt, false),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Manager or Role.Director =>
        [
            new("/registry", "Nav_Registry", Icons.Material.Filled.TableChart, true),
            new("/approvals", "Nav_Approvals", Icons.Material.Filled.FactCheck, true),
            new("/reports/funnel", "Nav_Funnel", Icons.Material.Filled.FilterAlt, true),
            new("/reports/performance", "Nav_Performance", Icons.Material.Filled.Paid, true),
            // In the drawer only: four tabs are what a phone's bottom bar holds.
            new("/reports/daily", "Nav_DailyReport", Icons.Material.Filled.Today, false),
            new("/cooperations", "Nav_Cooperations", Icons.Material.Filled.Handshake, false),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, false),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Admin =>
        [
            new("/admin/users", "Nav_Users", Icons.Material.Filled.ManageAccounts, true),
            new("/admin/groups", "Nav_Groups", Icons.Material.Filled.Groups, true),
            new("/admin/import", "Nav_Import", Icons.Material.Filled.UploadFile, true),
            new("/admin/notifications", "Nav_NotifyAdmin", Icons.Material.Filled.NotificationsActive, true),
            // In the drawer only: four tabs are what a phone's bottom bar holds.
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, false),
        ],
    };

    /// <summary>The page a role lands on after signing in.</summary>
    public static string HomeOf(Role role) => For(role)[0].Href;
}
