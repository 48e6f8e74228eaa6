using MixMate.Assistant.Models;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class ModelFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"mixmate-models-{Guid.NewGuid():N}");

    public ModelFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "role"));
        File.Copy(Path.Combine(RepoFiles.ModelsDirectory, ModelFiles.ChecksumFile), Path.Combine(_dir, ModelFiles.ChecksumFile));
        File.Copy(Path.Combine(RepoFiles.ModelsDirectory, RoleModel.RelativePath), Path.Combine(_dir, RoleModel.RelativePath));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_shipped_models_match_their_checksums()
    {
        Assert.Null(ModelFiles.Verify(RepoFiles.ModelsDirectory, RoleModel.RelativePath));
    }

    [Fact]
    public void A_changed_byte_is_caught()
    {
        string path = Path.Combine(_dir, RoleModel.RelativePath);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        string? problem = ModelFiles.Verify(_dir, RoleModel.RelativePath);
        Assert.NotNull(problem);
        Assert.Contains("checksum", problem);
    }

    [Fact]
    public void A_missing_file_or_list_is_named()
    {
        File.Delete(Path.Combine(_dir, RoleModel.RelativePath));
        Assert.Contains("missing", ModelFiles.Verify(_dir, RoleModel.RelativePath));
        File.Delete(Path.Combine(_dir, ModelFiles.ChecksumFile));
        Assert.Contains(ModelFiles.ChecksumFile, ModelFiles.Verify(_dir, RoleModel.RelativePath));
    }

    [Fact]
    public void Engine_uses_the_role_model_when_it_verifies()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(_dir);
        Assert.Null(engine.RoleModelProblem);
    }

    [Fact]
    public void Engine_falls_back_and_says_why_when_a_model_is_corrupt()
    {
        string path = Path.Combine(_dir, RoleModel.RelativePath);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        using SuggestionEngine engine = SuggestionEngine.Create(_dir);
        Assert.Contains("checksum", engine.RoleModelProblem);
    }
}
