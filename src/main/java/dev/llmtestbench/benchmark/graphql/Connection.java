package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.platform.rest.Page;
import java.util.List;

/** A Relay-style connection over a page: edges with cursors and page info. */
public class Connection<T> {

  /** One node and the cursor that resumes after it. */
  public static class Edge<T> {
    public String cursor;
    public T node;
  }

  /** Whether more pages exist and where the next starts. */
  public static class PageInfo {
    public boolean hasNextPage;
    public String endCursor;
  }

  public List<Edge<T>> edges;
  public PageInfo pageInfo;
  public int count;

  static <T> Connection<T> of(Page<T> page) {
    Connection<T> c = new Connection<>();
    c.edges =
        page.items().stream()
            .map(
                n -> {
                  Edge<T> e = new Edge<>();
                  e.node = n;
                  return e;
                })
            .toList();
    if (!c.edges.isEmpty()) {
      c.edges.get(c.edges.size() - 1).cursor = page.nextCursor();
    }
    c.pageInfo = new PageInfo();
    c.pageInfo.hasNextPage = page.nextCursor() != null;
    c.pageInfo.endCursor = page.nextCursor();
    c.count = c.edges.size();
    return c;
  }
}
