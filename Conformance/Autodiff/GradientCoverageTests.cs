using System.Reflection;
using KerasBackend.Autodiff;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Every op the spec marks differentiable has a gradient method and a finite-difference property.</summary>
public class GradientCoverageTests
{
    private static readonly HashSet<string> Properties = typeof(GradientPropertyTests).GetMethods()
        .SelectMany(m => m.GetCustomAttributes<GradientPropertyAttribute>()).Select(a => a.Op).ToHashSet();

    [Fact]
    public void Every_differentiable_kernel_op_has_a_gradient()
    {
        var missing = OpRegistry.All.Where(o => o.Differentiable && o.IsKernel && GradientTable.Find(o.Name) is null).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "differentiable ops without Gradients.<Op> (KB0008): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_differentiable_op_has_a_finite_difference_property()
    {
        var missing = OpRegistry.All.Where(o => o.Differentiable && !Properties.Contains(o.Name)).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "differentiable ops without a [GradientProperty] test in GradientPropertyTests: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_property_and_gradient_belongs_to_a_differentiable_op()
    {
        var stale = Properties.Concat(GradientTable.SpecOps).Where(n => OpRegistry.Find(n) is not { Differentiable: true }).Distinct().ToList();
        Assert.True(stale.Count == 0, "gradient or property for an op the spec does not mark differentiable: " + string.Join(", ", stale));
    }
}
