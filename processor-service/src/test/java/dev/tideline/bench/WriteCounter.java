package dev.tideline.bench;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Counts DynamoDB write calls and the items they write, as the SDK sends them. */
final class WriteCounter implements ExecutionInterceptor {

    final AtomicLong calls = new AtomicLong();
    final AtomicLong items = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Object request = context.request();
        if (request instanceof TransactWriteItemsRequest t) {
            calls.incrementAndGet();
            items.addAndGet(t.transactItems().size());
        } else if (request instanceof PutItemRequest || request instanceof UpdateItemRequest) {
            calls.incrementAndGet();
            items.incrementAndGet();
        }
    }

    void reset() {
        calls.set(0);
        items.set(0);
    }
}
