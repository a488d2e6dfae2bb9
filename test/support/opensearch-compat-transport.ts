// Test-only: lets @elastic/elasticsearch talk to our OpenSearch test node, the only
// search server that runs on our machines (see ../shared/SERVICES.md). The client
// refuses any server that is not Elasticsearch (product check) and sends
// `compatible-with` media types OpenSearch answers with 406; this Transport turns
// both off. Never used outside tests: production talks to real Elasticsearch.
import { SniffingTransport } from '@elastic/elasticsearch';

type TransportOptions = ConstructorParameters<typeof SniffingTransport>[0];

export class OpenSearchCompatTransport extends SniffingTransport {
  constructor(options: TransportOptions) {
    const { productCheck: _check, vendoredHeaders: _headers, ...rest } = options;
    super(rest);
  }
}
