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
            new("/register", "Nav_Register", Icons.Material.Filled.AddBusiness, true),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, true),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Clerk =>
        [
            new("/registry", "Nav_Registry", Icons.Material.Filled.TableChart, true),
            new("/register", "Nav_RegisterOnBehalf", Icons.Material.Filled.AddBusiness, true),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, true),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Manager or Role.Director =>
        [
            new("/registry", "Nav_Registry", Icons.Material.Filled.TableChart, true),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, true),
            new("/settings/notifications", "Nav_NotifySettings", Icons.Material.Filled.NotificationsActive, false),
        ],
        Role.Admin =>
        [
            new("/admin/users", "Nav_Users", Icons.Material.Filled.ManageAccounts, true),
            new("/admin/groups", "Nav_Groups", Icons.Material.Filled.Groups, true),
            new("/admin/notifications", "Nav_NotifyAdmin", Icons.Material.Filled.NotificationsActive, true),
            new("/policy", "Nav_Policy", Icons.Material.Filled.Gavel, true),
        ],
    };

    /// <summary>The page a role lands on after signing in.</summary>
    public static string HomeOf(Role role) => For(role)[0].Href;
}
