using Portal.Agent.Inference;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Inference;

public sealed class ModelPlannerTests
{
    [Fact]
    public void Plan_NewModel_FetchesThenLoads()
    {
        var plan = ModelPlanner.Create([Model("resnet", 1, "h1")], []);

        Assert.Equal(["fetch model resnet v1 sha256:aaaaaaaaaaaa", "load model resnet v1 on cpu"], plan.Show());
    }

    [Fact]
    public void Plan_NewVersion_FetchesAndLoadsWhileTheOldOneKeepsServing()
    {
        var plan = ModelPlanner.Create([Model("resnet", 2, "h2", 'b')], [Model("resnet", 1, "h1")]);

        Assert.Equal(["fetch model resnet v2 sha256:bbbbbbbbbbbb", "load model resnet v2 on cpu"], plan.Show());
    }

    [Fact]
    public void Plan_ModelRemoved_UnloadsItFirst()
    {
        var plan = ModelPlanner.Create([Model("yolo", 3, "h3", 'c')], [Model("resnet", 1, "h1")]);

        Assert.Equal(["unload model resnet v1", "fetch model yolo v3 sha256:cccccccccccc", "load model yolo v3 on cpu"], plan.Show());
    }

    [Fact]
    public void Plan_EverythingServedAsDesired_NothingToDo()
    {
        var plan = ModelPlanner.Create([Model("resnet", 1, "h1"), Model("yolo", 3, "h3", 'c')], [Model("yolo", 3, "h3", 'c'), Model("resnet", 1, "h1")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_NoModelsDesired_UnloadsEveryServedOne()
    {
        var plan = ModelPlanner.Create(DesiredState.Empty.ModelSpecs(), [Model("resnet", 1, "h1"), Model("yolo", 3, "h3", 'c')]);

        Assert.Equal(["unload model resnet v1", "unload model yolo v3"], plan.Show());
    }

    internal static ModelWorkloadSpec Model(string name, int version, string hash, char sha = 'a') =>
        new(name, "dep2", "m-" + name, version, new string(sha, 64), 1024, $"/api/v1/agent/artifacts/{new string(sha, 64)}", "cpu", hash);
}
