using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registry;

/// <summary>
/// Turns <c>EF.Constant(DateOnly.MaxValue)</c> in a query lambda into the constant itself, before EF
/// sees it. Both reach the SQL as the same literal (which IX_Customers_DueKey needs: the index is on
/// <c>COALESCE("DueOn", '9999-12-31')</c>), but EF treats an EF.Constant as a parameter to inline
/// on every execution, so it never caches the finished SQL of such a query: it re-ran its nullability
/// and parameter passes on every registry page (6 % of a page's CPU on SQLite). A real constant is
/// part of the cached query; the SQL text is unchanged.
/// </summary>
public sealed class InlineConstants : ExpressionVisitor
{
    private static readonly InlineConstants Instance = new();

    private InlineConstants()
    {
    }

    public static Expression<TDelegate> In<TDelegate>(Expression<TDelegate> lambda) => (Expression<TDelegate>)Instance.Visit(lambda);

    protected override Expression VisitMethodCall(MethodCallExpression node) =>
        node.Method.DeclaringType == typeof(EF) && node.Method.Name == nameof(EF.Constant)
            ? Expression.Constant(ValueOf(node.Arguments[0]), node.Type)
            : base.VisitMethodCall(node);

    // Only what the registry writes: a static field or property (DateOnly.MaxValue) or a literal.
    // Anything else may depend on the request and must stay a parameter.
    private static object? ValueOf(Expression value) => value switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Expression: null, Member: FieldInfo field } => field.GetValue(null),
        MemberExpression { Expression: null, Member: PropertyInfo property } => property.GetValue(null),
        UnaryExpression { NodeType: ExpressionType.Convert } convert => ValueOf(convert.Operand),
        _ => throw new NotSupportedException($"EF.Constant({value}) is not a static value: it cannot be inlined."),
    };
}
