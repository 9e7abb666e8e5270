using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Groups;

/// <summary>The sales groups, by name.</summary>
public sealed class ListGroups(HarborDbContext db)
{
    public Task<GroupResponse[]> HandleAsync(CancellationToken ct) =>
        db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new GroupResponse(g.Id, g.Name)).ToArrayAsync(ct);
}
