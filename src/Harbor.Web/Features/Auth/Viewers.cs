using System.Security.Claims;
using Harbor.Domain.Access;

namespace Harbor.Web.Features.Auth;

public static class Viewers
{
    public const string GroupClaim = "harbor:group";

    public static Viewer ToViewer(this ClaimsPrincipal principal)
    {
        var id = Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("An authenticated principal has an id."));
        var role = Enum.Parse<Role>(principal.FindFirstValue(ClaimTypes.Role)
            ?? throw new InvalidOperationException("An authenticated principal has a role."), ignoreCase: true);
        var group = principal.FindFirstValue(GroupClaim);
        return new Viewer(id, role, group is null ? null : Guid.Parse(group));
    }

    public static string ClaimValue(this Role role) => role switch
    {
        Role.Salesperson => "salesperson",
        Role.Clerk => "clerk",
        Role.Manager => "manager",
        Role.Director => "director",
        Role.Admin => "admin",
    };

    public static IEnumerable<Claim> ClaimsOf(Guid id, string username, Role role, Guid? groupId)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, id.ToString());
        yield return new Claim(ClaimTypes.Name, username);
        yield return new Claim(ClaimTypes.Role, role.ClaimValue());
        if (groupId is not null)
            yield return new Claim(GroupClaim, groupId.Value.ToString());
    }
}
