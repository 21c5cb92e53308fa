package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Page;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

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

  /**
   * The connection of one page of rows: each edge carries the cursor that resumes after it, so
   * clients can page from any edge.
   */
  static <D, T> Connection<T> of(
      List<D> fetched, int limit, ToLongFunction<D> key, Function<D, T> mapper) {
    Page<D> page = Page.of(fetched, limit, key);
    Connection<T> c = new Connection<>();
    c.edges =
        page.items().stream()
            .map(
                d -> {
                  Edge<T> e = new Edge<>();
                  e.cursor = Cursors.encode(key.applyAsLong(d));
                  e.node = mapper.apply(d);
                  return e;
                })
            .toList();
    c.pageInfo = new PageInfo();
    c.pageInfo.hasNextPage = page.nextCursor() != null;
    c.pageInfo.endCursor = c.edges.isEmpty() ? null : c.edges.get(c.edges.size() - 1).cursor;
    c.count = c.edges.size();
    return c;
  }
}
