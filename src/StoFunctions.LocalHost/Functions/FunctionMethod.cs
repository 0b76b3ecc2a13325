using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// One <c>[Function]</c> method of the Function App, invoked the way the worker invokes it: a new instance of its
/// class per invocation, constructor arguments from the invocation's DI scope (static methods need none), and the
/// returned task awaited. Parameters are bound by the trigger-specific callers through <see cref="InvokeAsync"/>.
/// </summary>
internal sealed class FunctionMethod
{
    private readonly ObjectFactory? _create;

    private FunctionMethod(string name, MethodInfo method)
    {
        Name = name;
        Method = method;
        Parameters = method.GetParameters();
        _create = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
    }

    /// <summary>The function name (<c>[Function("…")]</c>).</summary>
    public string Name { get; }

    /// <summary>The method.</summary>
    public MethodInfo Method { get; }

    /// <summary>Its parameters, in order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>Every public <c>[Function]</c> method of <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<FunctionMethod> FindAll(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<FunctionMethod>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is { } function)
                {
                    if (!method.IsStatic && type.IsAbstract)
                    {
                        throw new InvalidOperationException($"Function {function.Name} is an instance method of the abstract class {type.FullName}; make it static or move it to a concrete class.");
                    }

                    found.Add(new FunctionMethod(function.Name, method));
                }
            }
        }

        if (found.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Two functions are named '{twice.Key}' ({string.Join(", ", twice.Select(f => f.Describe()))}); function names must be unique.");
        }

        return found.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The parameter carrying trigger attribute <typeparamref name="TTrigger"/>, or null.</summary>
    public (ParameterInfo Parameter, TTrigger Trigger)? Trigger<TTrigger>()
        where TTrigger : Attribute =>
        Parameters.Select(p => (p, p.GetCustomAttribute<TTrigger>())).FirstOrDefault(x => x.Item2 is not null) is (ParameterInfo parameter, TTrigger trigger)
            ? (parameter, trigger)
            : null;

    /// <summary>
    /// Creates the target (for instance methods) from <paramref name="services"/>, calls the method with
    /// <paramref name="arguments"/> and awaits it. Exceptions come out unwrapped, as the function threw them.
    /// </summary>
    /// <returns>The function's result (a task's result), or null for <c>void</c> and <c>Task</c>.</returns>
    public async Task<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        object? target = _create?.Invoke(services, null);
        object? returned = Method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                Type type = task.GetType();
                return type.IsGenericType && type.GetProperty(nameof(Task<object>.Result)) is { } result && result.PropertyType.Name != "VoidTaskResult"
                    ? result.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                return returned;
        }
    }

    /// <summary>The error for a parameter the local host cannot bind, naming the function and what it can bind.</summary>
    public InvalidOperationException Unbindable(ParameterInfo parameter, string bindable) =>
        new($"Function {Name} ({Describe()}) has parameter '{parameter.Name}' of type {parameter.ParameterType.Name}, which the local host cannot bind. It binds {bindable}.");

    /// <summary>Class and method, for messages.</summary>
    public string Describe() => $"{Method.DeclaringType?.FullName}.{Method.Name}";
}
