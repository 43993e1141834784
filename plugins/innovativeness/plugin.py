from core.api import ToolInfo, hookimpl


@hookimpl
def designing_clusters_tool_info() -> ToolInfo:
    return ToolInfo(slug="innovativeness", title="Cluster innovativeness self-assessment", summary="Work in progress.", version="0.0.1", order=20)
