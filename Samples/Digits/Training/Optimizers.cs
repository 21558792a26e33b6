namespace KerasBackend.Samples.Training;

/// <summary>
/// A Keras 2 optimizer: it turns a loss and the trainable variables into a list of variable updates
/// (<c>K.Update</c> ops on symbolic values) that <c>K.Function(..., updates)</c> applies after every call.
/// </summary>
/// <remarks>
/// In this library an op whose inputs are all concrete (variables included) runs at once, so an expression of
/// variables alone would be computed once, when the graph is built, and then stay fixed. Every value that must be
/// recomputed on each call is therefore written so that its first op already has a symbolic operand (the
/// gradient or a fed placeholder). Hyperparameters that change from step to step (Adam's bias-corrected rate)
/// are fed through <see cref="Inputs"/>, with their values from <see cref="StepValues"/>.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>The updates to pass to <c>K.Function</c>: symbolic <c>K.Update</c> results.</summary>
    public abstract IReadOnlyList<object> GetUpdates(Tensor loss, IReadOnlyList<Variable> parameters);

    /// <summary>Extra placeholders the training function must be fed on each step (none by default).</summary>
    public virtual IReadOnlyList<Tensor> Inputs => [];

    /// <summary>The values of <see cref="Inputs"/> for step <paramref name="iteration"/> (counted from 0).</summary>
    public virtual object[] StepValues(long iteration) => [];

    /// <summary>Symbolic gradients of the loss with respect to each variable.</summary>
    protected static IReadOnlyList<Tensor> Gradients(Tensor loss, IReadOnlyList<Variable> parameters)
    {
        var grads = K.Gradients(loss, parameters.Cast<Tensor>().ToArray());
        // K.Gradients gives a constant zero for a variable the loss does not reach through differentiable ops;
        // training it would silently do nothing, so say which one it is.
        for (int i = 0; i < grads.Count; i++)
            if (!grads[i].IsSymbolic)
                throw new InvalidOperationException(
                    $"The loss does not depend on the variable '{parameters[i].Name}' through differentiable ops, so it cannot be trained. " +
                    "Check that every op between it and the loss has a gradient (K.Gradients treats the others as constants).");
        return grads;
    }
}

/// <summary>Keras 2 <c>SGD(lr, momentum, nesterov)</c>: v ← momentum·v − lr·g; p ← p + v (or p + momentum·v − lr·g with Nesterov).</summary>
public sealed class Sgd(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false) : Optimizer
{
    public double LearningRate { get; } = learningRate;
    public double Momentum { get; } = momentum;
    public bool Nesterov { get; } = nesterov;

    public override IReadOnlyList<object> GetUpdates(Tensor loss, IReadOnlyList<Variable> parameters)
    {
        var grads = Gradients(loss, parameters);
        var updates = new List<object>();
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var g = grads[i];
            if (Momentum == 0)
            {
                updates.Add(K.Update(p, p - g * LearningRate));
                continue;
            }
            var m = K.Variable(new Tensor(p.DType, p.Shape), name: p.Name + "/momentum");
            // momentum·m − lr·g, anchored on g so that m is read on every call (see the class remarks).
            var v = (m - g * (LearningRate / Momentum)) * Momentum;
            updates.Add(K.Update(m, v));
            var newP = Nesterov ? p + (v * Momentum - g * LearningRate) : p + v;
            updates.Add(K.Update(p, newP));
        }
        return updates;
    }
}

/// <summary>
/// Keras 2 <c>Adam(lr, beta_1, beta_2, epsilon)</c>: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − lr_t · m / (√v + ε) with lr_t = lr · √(1−β₂ᵗ) / (1−β₁ᵗ) at step t = 1, 2, …
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor _lrT;

    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double? epsilon = null)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon ?? K.Epsilon();
        _lrT = K.Placeholder(shape: [], name: "adam_lr_t");
    }

    public double LearningRate { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public override IReadOnlyList<Tensor> Inputs => [_lrT];

    public override object[] StepValues(long iteration)
    {
        // Keras computes t = iterations + 1 inside the graph; here the step count lives on the host (see the class remarks).
        double t = iteration + 1;
        return [(float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)))];
    }

    public override IReadOnlyList<object> GetUpdates(Tensor loss, IReadOnlyList<Variable> parameters)
    {
        var grads = Gradients(loss, parameters);
        var updates = new List<object>();
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var g = grads[i];
            var m = K.Variable(new Tensor(p.DType, p.Shape), name: p.Name + "/m");
            var v = K.Variable(new Tensor(p.DType, p.Shape), name: p.Name + "/v");
            // β·m + (1−β)·g written as m + (1−β)(g − m), so each op has the symbolic gradient as an operand.
            var mT = m + (g - m) * (1 - Beta1);
            var vT = v + (K.Square(g) - v) * (1 - Beta2);
            var pT = p - mT * _lrT / (K.Sqrt(vT) + Epsilon);
            updates.Add(K.Update(m, mT));
            updates.Add(K.Update(v, vT));
            updates.Add(K.Update(p, pT));
        }
        return updates;
    }
}
