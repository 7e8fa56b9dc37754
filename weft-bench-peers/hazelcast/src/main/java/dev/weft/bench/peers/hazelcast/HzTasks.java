package dev.weft.bench.peers.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.weft.bench.peers.Workloads;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * The remote tasks, as Hazelcast recommends writing them for speed: {@link
 * IdentifiedDataSerializable} (no reflection, no Java serialization).
 */
final class HzTasks {
  static final int FACTORY_ID = 7_340;

  private HzTasks() {}

  /** Builds the tasks on the receiving member. */
  static final class Factory implements DataSerializableFactory {
    @Override
    public IdentifiedDataSerializable create(int classId) {
      return switch (classId) {
        case SmallValue.ID -> new SmallValue();
        case Leaf.ID -> new Leaf();
        case Add.ID -> new Add();
        default -> throw new IllegalArgumentException("unknown class id " + classId);
      };
    }
  }

  /** The trivial task: returns 1. */
  static final class SmallValue implements Callable<Integer>, IdentifiedDataSerializable {
    static final int ID = 1;

    @Override
    public Integer call() {
      return Workloads.SMALL_VALUE;
    }

    @Override
    public int getFactoryId() {
      return FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) {}

    @Override
    public void readData(ObjectDataInput in) {}
  }

  /** A DAG leaf: returns its index. */
  static final class Leaf implements Callable<Long>, IdentifiedDataSerializable {
    static final int ID = 2;
    private int i;

    Leaf() {}

    Leaf(int i) {
      this.i = i;
    }

    @Override
    public Long call() {
      return (long) i;
    }

    @Override
    public int getFactoryId() {
      return FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(i);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      i = in.readInt();
    }
  }

  /** A DAG reduction: returns a + b. */
  static final class Add implements Callable<Long>, IdentifiedDataSerializable {
    static final int ID = 3;
    private long a;
    private long b;

    Add() {}

    Add(long a, long b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Long call() {
      return a + b;
    }

    @Override
    public int getFactoryId() {
      return FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(a);
      out.writeLong(b);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      a = in.readLong();
      b = in.readLong();
    }
  }
}
