// What a started syslog listener reports: where it is bound (the port the OS chose when
// the config said 0) and how to stop it.

export interface RunningListener {
  name: string;
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
  unit: string;
  /** Stops reading, then publishes what is waiting (TCP: retried until a deadline). */
  stop(): Promise<void>;
}
